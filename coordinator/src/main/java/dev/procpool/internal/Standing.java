package dev.procpool.internal;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a ready worker stands on the {@link WorkerBooks}: whether it takes tasks, and if it does not, why. The one
 * field the pool reads to know why a worker is leaving (the connection's own {@link ConnectionState} says only whether
 * bytes still flow, and the pool's close is its {@link PoolLifecycle}'s). Leaving only moves forward; the allowed
 * moves are listed here.
 */
enum Standing {
    /** Takes tasks, as many as its window allows. */
    ACTIVE,
    /** Holds a suspect (a task that has taken a worker down before), which runs alone: it takes none until then. */
    ISOLATING,
    /** Reached its task quota: takes no more, and is told to shut down once it holds none. */
    RETIRING,
    /** Retired: it held nothing more and was told to shut down. */
    RETIRED,
    /**
     * Being killed (its task ran past the time limit, or was cancelled): takes no more, and its late answers are
     * expected.
     */
    KILLED,
    /**
     * Its output ended (it died, or was killed for misbehaving): takes no more, and what it holds comes back with its
     * end, the one it was computing blamed for it. A worker already retiring or killed keeps saying so instead.
     */
    LOST;

    static {
        ACTIVE.next = EnumSet.of(ISOLATING, RETIRING, KILLED, LOST);
        ISOLATING.next = EnumSet.of(ACTIVE, RETIRING, KILLED, LOST);
        RETIRING.next = EnumSet.of(RETIRED, KILLED);
        RETIRED.next = EnumSet.of(KILLED);
        KILLED.next = EnumSet.noneOf(Standing.class);
        LOST.next = EnumSet.of(KILLED);
    }

    private Set<Standing> next;

    boolean canMoveTo(Standing standing) {
        return next.contains(standing);
    }

    /** Whether a worker standing so is leaving the pool: it will never take a task again. */
    boolean isLeaving() {
        return this == RETIRING || this == RETIRED || this == KILLED || this == LOST;
    }
}
