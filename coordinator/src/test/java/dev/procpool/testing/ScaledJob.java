package dev.procpool.testing;

import dev.procpool.job.LongSum;
import dev.procpool.job.Range;
import dev.procpool.job.RangeJob;

/**
 * A test-only job configured through its constructor: the count of the numbers in {@code [0, size)}, each counted
 * {@code factor} times. A worker that made its own instance instead of receiving this one would count each once.
 * Immutable.
 *
 * @param factor how many times each number counts
 */
public record ScaledJob(long factor) implements RangeJob<Long>, LongSum<Range> {

    /** Each number counts once: the job {@code --job=scaled} runs. */
    public ScaledJob() {
        this(1);
    }

    @Override
    public String name() {
        return "scaled";
    }

    @Override
    public String description() {
        return "test-only: the numbers in [0, size), each counted factor times";
    }

    @Override
    public long defaultSize() {
        return 1000;
    }

    @Override
    public Long compute(Range range) {
        return range.length() * factor;
    }
}
