package dev.procpool.testing;

import dev.procpool.job.LongSum;
import dev.procpool.job.Range;
import dev.procpool.job.RangeJob;

/**
 * A test-only job over {@code [0, size)} whose task holding the number 1 recurses until its stack overflows: an
 * {@code Error}, which every runner must report as that task's failure. Stateless.
 */
public final class OverflowJob extends RangeJob<Long> implements LongSum<Range> {

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
        if (range.from() <= 1 && 1 < range.to()) {
            return deeper(0);
        }
        return range.length();
    }

    private static long deeper(long depth) {
        return deeper(depth + 1) + 1;
    }
}
