package dev.procpool.jobs;

import dev.procpool.job.LongSum;
import dev.procpool.job.Range;
import dev.procpool.job.RangeJob;

/**
 * Waits instead of computing: {@code size} waits of 10 ms, split into tasks, each of which sleeps for its share.
 * A stand-in for I/O-bound work, whose CPU stays idle: it gains from more threads than cores, and nothing from
 * processes. The result counts the waits done. Stateless.
 */
public final class SleepJob extends RangeJob<Long> implements LongSum<Range> {

    /** How long one unit of size waits. */
    public static final long WAIT_MILLIS = 10;

    @Override
    public String name() {
        return "sleep";
    }

    @Override
    public String description() {
        return "waits 10 ms per unit of size instead of computing: an I/O-bound stand-in";
    }

    @Override
    public long defaultSize() {
        return 400;
    }

    @Override
    public long maxSize() {
        return 1_000_000;
    }

    @Override
    public Long compute(Range range) throws InterruptedException {
        Thread.sleep(range.length() * WAIT_MILLIS);
        return range.length();
    }
}
