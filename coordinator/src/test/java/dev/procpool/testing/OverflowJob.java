package dev.procpool.testing;

import dev.procpool.job.LongSum;
import dev.procpool.job.Range;
import dev.procpool.job.RangeJob;

/**
 * A test-only job over {@code [0, size)} whose task holding the number {@code overflowing} (1 by default) recurses
 * until its stack overflows: an {@code Error}, which every runner must report as that task's failure. Immutable.
 *
 * @param overflowing the number whose task overflows its stack
 */
public record OverflowJob(long overflowing) implements RangeJob<Long>, LongSum<Range> {

    /** The task holding 1 overflows: the job {@code --job=overflow} runs. */
    public OverflowJob() {
        this(1);
    }


    @Override
    public String name() {
        return "overflow";
    }

    @Override
    public String description() {
        return "test-only: the task holding the number 1 overflows its stack";
    }

    @Override
    public long defaultSize() {
        return 4;
    }

    @Override
    public Long compute(Range range) {
        if (range.from() <= overflowing && overflowing < range.to()) {
            return deeper(0);
        }
        return range.length();
    }

    private static long deeper(long depth) {
        return deeper(depth + 1) + 1;
    }
}
