package dev.procpool.internal;

import dev.procpool.ProcPoolException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The life of a process pool: open, then perhaps no longer starting workers, then closed. The one place that says
 * which. It also counts the launches in progress: a launch begins only while the pool starts workers, and closing
 * waits for those under way (a launcher may take its time: a node to be granted, a connection to be made), so no
 * worker a launch makes is missed. Thread-safe.
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
    private int launching;

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

    /** Whether the pool still starts workers. */
    synchronized boolean startsWorkers() {
        return state == State.OPEN;
    }

    /**
     * Begins a launch if the pool still starts workers; returns whether it did. Each launch begun is ended with
     * {@link #endLaunch()}, whatever happens to it.
     */
    synchronized boolean beginLaunch() {
        if (state != State.OPEN) {
            return false;
        }
        launching++;
        return true;
    }

    /** A launch begun with {@link #beginLaunch()} is over: its worker is on the books, or it failed. */
    synchronized void endLaunch() {
        launching--;
        notifyAll();
    }

    /** Waits up to {@code millis} for the launches under way to end; returns whether they have. */
    synchronized boolean awaitLaunches(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (launching > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
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
