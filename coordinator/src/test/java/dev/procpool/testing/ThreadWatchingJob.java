package dev.procpool.testing;

import dev.procpool.job.Range;
import dev.procpool.job.RangeJob;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test-only job that sums the lengths of its ranges and remembers, in this JVM, every thread its
 * {@link #combine} ran on: tests check where a runner calls a job's code. Thread-safe.
 */
public final class ThreadWatchingJob implements RangeJob<Long> {

    /** The threads {@link #combine} ran on, in this JVM, since the last {@link #forget()}. */
    public static final Set<Thread> COMBINING = ConcurrentHashMap.newKeySet();

    public static void forget() {
        COMBINING.clear();
    }

    @Override
    public String name() {
        return "thread-watching";
    }

    @Override
    public String description() {
        return "test-only: sums range lengths and remembers which threads combined them";
    }

    @Override
    public long defaultSize() {
        return 1000;
    }

    @Override
    public Long compute(Range range) {
        return range.length();
    }

    @Override
    public Long identity() {
        return 0L;
    }

    @Override
    public Long combine(Long combined, Long partial) {
        COMBINING.add(Thread.currentThread());
        return combined + partial;
    }
}
