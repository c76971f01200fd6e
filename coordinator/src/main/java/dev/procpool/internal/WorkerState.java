package dev.procpool.internal;

import java.util.EnumSet;
import java.util.Set;

/** Where a worker process is in its life. Changed only by {@link WorkerProcess#transition}. */
public enum WorkerState {
    /** Launched; its handshake has not arrived. */
    STARTING,
    /** Ready, holding no task. */
    READY,
    /** Holding at least one task. */
    BUSY,
    /** Takes no new task; finishes or gives back what it holds, then stops. */
    DRAINING,
    /** Its process has ended. */
    DEAD;

    static {
        STARTING.next = EnumSet.of(READY, DRAINING, DEAD);
        READY.next = EnumSet.of(BUSY, DRAINING, DEAD);
        BUSY.next = EnumSet.of(READY, DRAINING, DEAD);
        DRAINING.next = EnumSet.of(DEAD);
        DEAD.next = EnumSet.noneOf(WorkerState.class);
    }

    private Set<WorkerState> next;

    boolean canMoveTo(WorkerState state) {
        return next.contains(state);
    }
}
