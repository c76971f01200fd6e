package dev.procpool.jobs;

import dev.procpool.job.LongSum;
import dev.procpool.job.Range;
import dev.procpool.job.RangeJob;

/**
 * Waits instead of computing: {@code size} waits of {@code waitMillis} (10 ms by default), split into tasks, each of
 * which sleeps for its share. A stand-in for I/O-bound work, whose CPU stays idle: it gains from more threads than
 * cores, and nothing from processes. The result counts the waits done. Immutable.
 *
 * @param waitMillis how long one unit of size waits, from 0 to a minute
 */
public record SleepJob(long waitMillis) implements RangeJob<Long>, LongSum<Range> {

    /** How long one unit of size waits by default. */
    public static final long WAIT_MILLIS = 10;

    public SleepJob {
        if (waitMillis < 0 || waitMillis > 60_000) {
            throw new IllegalArgumentException("waitMillis must be between 0 and 60000, was " + waitMillis);
        }
    }

    /** Waits of 10 ms: the job {@code --job=sleep} runs. */
    public SleepJob() {
        this(WAIT_MILLIS);
    }

    @Override
    public String name() {
        return "sleep";
    }

    @Override
    public String description() {
        return "waits " + waitMillis + " ms per unit of size instead of computing: an I/O-bound stand-in";
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
        Thread.sleep(range.length() * waitMillis);
        return range.length();
    }
}
