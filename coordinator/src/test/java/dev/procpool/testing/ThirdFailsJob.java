package dev.procpool.testing;

import dev.procpool.job.LongSum;
import dev.procpool.job.Range;
import dev.procpool.job.RangeJob;

/**
 * A test-only job over {@code [0, size)} whose task holding the number {@code failing} (3 by default) throws; the
 * others return their length. Its fixed failure lets tests check how a job run reports a failed task. Immutable.
 *
 * @param failing the number whose task throws
 */
public record ThirdFailsJob(long failing) implements RangeJob<Long>, LongSum<Range> {

    /** The task holding 3 throws: the job {@code --job=three-fails} runs. */
    public ThirdFailsJob() {
        this(3);
    }


    @Override
    public String name() {
        return "three-fails";
    }

    @Override
    public String description() {
        return "test-only: the task holding the number 3 throws";
    }

    @Override
    public long defaultSize() {
        return 8;
    }

    @Override
    public Long compute(Range range) {
        if (range.from() <= failing && failing < range.to()) {
            throw new IllegalStateException("boom " + failing);
        }
        return range.length();
    }
}
