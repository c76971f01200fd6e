package dev.procpool.internal;

import dev.procpool.WorkerStartException;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A pool's start: counts its first workers as they become ready and keeps the first failure among them, until
 * {@link #await} returns. Failures after that belong to replacements, not to the start. Thread-safe.
 */
final class StartupLatch {

    private final int expected;
    private final Duration timeout;
    private final Ticker ticker;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int ready;
    private boolean over;
    private WorkerStartException failure;

    StartupLatch(int expected, Duration timeout, Ticker ticker) {
        this.expected = expected;
        this.timeout = timeout;
        this.ticker = ticker;
    }

    /** One more worker completed its handshake. */
    void ready() {
        lock.lock();
        try {
            ready++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A worker could not start: during the start, keeps the failure (the first one wins) and returns true; after
     * the start, returns false and the caller deals with a failed replacement.
     */
    boolean failed(Supplier<WorkerStartException> failure) {
        lock.lock();
        try {
            if (over) {
                return false;
            }
            if (this.failure == null) {
                this.failure = failure.get();
            }
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every worker is ready, by {@code deadline} (the ticker's time).
     *
     * @throws WorkerStartException the first worker's failure, or a timeout saying how many were ready
     */
    void await(long deadline) {
        lock.lock();
        try {
            while (ready < expected && failure == null) {
                long left = deadline - ticker.nanoTime();
                if (left <= 0) {
                    throw new WorkerStartException(ready + " of " + expected + " workers were ready after "
                            + timeout.toMillis() + " ms (the start-up timeout); the machine may be overloaded: try "
                            + "fewer workers");
                }
                changed.awaitNanos(left);
            }
            if (failure != null) {
                throw failure;
            }
            over = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkerStartException("interrupted while workers were starting");
        } finally {
            lock.unlock();
        }
    }
}
