package dev.procpool.internal;

import java.util.EnumSet;
import java.util.Set;

/** Where a worker's connection is in its life. Owned and changed by its {@link WorkerConnection} alone. */
enum ConnectionState {
    /** Launched; its handshake has not arrived. */
    STARTING,
    /** Its handshake matched: it takes messages. */
    READY,
    /** Its output has ended and its process is gone (or was killed). */
    DEAD;

    static {
        STARTING.next = EnumSet.of(READY, DEAD);
        READY.next = EnumSet.of(DEAD);
        DEAD.next = EnumSet.noneOf(ConnectionState.class);
    }

    private Set<ConnectionState> next;

    boolean canMoveTo(ConnectionState state) {
        return next.contains(state);
    }
}
