package dev.procpool.internal;

import dev.procpool.ProcPoolException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The life of a process pool: open, then perhaps no longer starting workers, then closed. The one place that says
 * which. Thread-safe: launches run under its lock ({@link #ifStartingWorkers}), so no worker starts once the pool
 * has stopped starting them or closed.
 */
final class PoolLifecycle {

    /** Where a pool is in its life; it only moves forward. */
    enum State {
        /** Running, and starting workers (replacements, recycled workers) as needed. */
        OPEN,
        /** Running with the workers it has: starting them kept failing, and the pool gave up. */
        NO_MORE_WORKERS,
        /** Closed or abandoned: takes nothing, starts nothing. */
        CLOSED;

        static {
            OPEN.next = EnumSet.of(NO_MORE_WORKERS, CLOSED);
            NO_MORE_WORKERS.next = EnumSet.of(CLOSED);
            CLOSED.next = EnumSet.noneOf(State.class);
        }

        private Set<State> next;
    }

    private State state = State.OPEN;
    private ProcPoolException givenUp;

    synchronized State state() {
        return state;
    }

    synchronized boolean isClosed() {
        return state == State.CLOSED;
    }

    /** Why the pool stopped starting workers, if it did. */
    synchronized Optional<ProcPoolException> givenUp() {
        return Optional.ofNullable(givenUp);
    }

    /** Stops starting workers, for {@code reason}; returns whether this call did it. */
    synchronized boolean giveUp(ProcPoolException reason) {
        if (!moveTo(State.NO_MORE_WORKERS)) {
            return false;
        }
        givenUp = reason;
        return true;
    }

    /** Closes; returns whether this call did it (the first one). */
    synchronized boolean close() {
        return moveTo(State.CLOSED);
    }

    /**
     * Runs {@code launch} under this lifecycle's lock if the pool still starts workers, so closing waits for a launch
     * in progress and no launch follows it. Returns whether it ran.
     */
    synchronized boolean ifStartingWorkers(Runnable launch) {
        if (state != State.OPEN) {
            return false;
        }
        launch.run();
        return true;
    }

    private boolean moveTo(State next) {
        if (!state.next.contains(next)) {
            return false;
        }
        state = next;
        return true;
    }
}
