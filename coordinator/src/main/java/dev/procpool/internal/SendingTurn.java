package dev.procpool.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The turn to send to workers: one thread at a time holds it, and a thread that finds it taken leaves a request,
 * which the holder picks up before it lets go, so no news is lost. Once stopped, no one takes it again. Thread-safe.
 */
final class SendingTurn {

    private final AtomicBoolean taken = new AtomicBoolean();
    private volatile boolean requested;

    /** Asks for one more round, run by whoever holds the turn now or takes it next. */
    void request() {
        requested = true;
    }

    /** Whether a round has been asked for and not run yet. */
    boolean isRequested() {
        return requested;
    }

    /**
     * Runs {@code round} until no request is left, if the turn is free; if it is taken, leaves a request that its
     * holder runs.
     */
    void take(Runnable round) {
        requested = true;
        while (requested && taken.compareAndSet(false, true)) {
            try {
                requested = false;
                round.run();
            } finally {
                taken.set(false);
            }
        }
    }

    /**
     * Takes the turn for good, waiting up to {@code timeout} for a round in progress to end; afterwards no round runs.
     * Returns whether the round ended in time.
     */
    boolean stop(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos(); // a real wait: not the ticker's time
        while (!taken.compareAndSet(false, true)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(100_000);
        }
        return true; // taken stays set: no one sends again
    }
}
