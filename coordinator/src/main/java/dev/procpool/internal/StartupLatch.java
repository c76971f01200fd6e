package dev.procpool.internal;

import dev.procpool.WorkerStartException;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A pool's start: counts its first workers as they become ready or fail, until {@link #await} returns. The start
 * succeeds once every worker has done one or the other and at least one is ready: a host that cannot be reached costs
 * its own workers, not the run. Failures after that belong to replacements, not to the start. Thread-safe.
 */
final class StartupLatch {

    /** How a start ended: how many workers became ready, how many failed, and the first failure. */
    record Outcome(int ready, int failed, WorkerStartException firstFailure) {
    }

    private final int expected;
    private final Duration timeout;
    private final Ticker ticker;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int ready;
    private int failed;
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
     * A worker could not start: during the start, counts it (keeping the first failure) and returns true; after the
     * start, returns false and the caller deals with a failed replacement.
     */
    boolean failed(Supplier<WorkerStartException> why) {
        lock.lock();
        try {
            if (over) {
                return false;
            }
            failed++;
            if (failure == null) {
                failure = why.get();
            }
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every worker is ready or has failed, by {@code deadline} (the ticker's time).
     *
     * @return how the start went, with at least one worker ready
     * @throws WorkerStartException the first failure if no worker started, or a timeout saying how many were ready
     */
    Outcome await(long deadline) {
        lock.lock();
        try {
            while (ready + failed < expected) {
                long left = deadline - ticker.nanoTime();
                if (left <= 0) {
                    if (ready > 0) {
                        break; // the others may still come; the pool goes on with those it has
                    }
                    throw new WorkerStartException("no worker of " + expected + " was ready after "
                            + timeout.toMillis() + " ms (the start-up timeout); the machine may be overloaded: try "
                            + "fewer workers");
                }
                changed.awaitNanos(left);
            }
            if (ready == 0) {
                throw failure;
            }
            over = true;
            return new Outcome(ready, failed, failure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkerStartException("interrupted while workers were starting");
        } finally {
            lock.unlock();
        }
    }
}
