package dev.procpool.testing;

import dev.procpool.job.LongSum;
import dev.procpool.job.Range;
import dev.procpool.job.RangeJob;

/**
 * A test-only job over {@code [0, size)} whose task holding the number 3 throws; the others return their
 * length. Its fixed failure lets tests check how a job run reports a failed task. Stateless.
 */
public final class ThirdFailsJob extends RangeJob<Long> implements LongSum<Range> {

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
        if (range.from() <= 3 && 3 < range.to()) {
            throw new IllegalStateException("boom 3");
        }
        return range.length();
    }
}
