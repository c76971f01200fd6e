package dev.procpool.internal;

import dev.procpool.protocol.Heartbeat;
import java.util.function.BooleanSupplier;

/**
 * What a worker reported of its process in its heartbeat answers: the CPU time and resident memory of the last, and
 * the largest resident size seen. Thread-safe: the reader thread records answers, any thread reads or waits for one.
 */
final class WorkerUsage {

    private final Object lock = new Object();
    /** The last answer; guarded by {@code lock} for writes and waits. */
    private volatile Heartbeat last = Heartbeat.asking(0);
    private volatile long peakResidentBytes = -1;

    /** The worker answered a heartbeat. */
    void reported(Heartbeat report) {
        synchronized (lock) {
            last = report;
            if (report.residentBytes() > peakResidentBytes) {
                peakResidentBytes = report.residentBytes();
            }
            lock.notifyAll();
        }
    }

    /** The last answer; before any, one of zeros. */
    Heartbeat last() {
        return last;
    }

    /** The largest resident size reported; -1 before any answer. */
    long peakResidentBytes() {
        return peakResidentBytes;
    }

    /**
     * Waits until the worker has answered heartbeat {@code sequence} (or a later one), until {@code deadline}
     * ({@link System#nanoTime()}), or until it is {@code gone}; returns whether it has answered.
     */
    boolean awaitReport(long sequence, long deadline, BooleanSupplier gone) throws InterruptedException {
        synchronized (lock) {
            while (last.sequence() < sequence) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || gone.getAsBoolean()) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }
}
