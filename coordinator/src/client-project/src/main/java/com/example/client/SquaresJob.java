package com.example.client;

import dev.procpool.job.LongSum;
import dev.procpool.job.Range;
import dev.procpool.job.RangeJob;

/** The sum of the squares of the numbers in [0, size): a job of the client's own, on no class path but its own. */
public final class SquaresJob extends RangeJob<Long> implements LongSum<Range> {

    @Override
    public String name() {
        return "squares";
    }

    @Override
    public String description() {
        return "the sum of the squares of the numbers in [0, size)";
    }

    @Override
    public long defaultSize() {
        return 1_000_000;
    }

    @Override
    public Long compute(Range range) {
        long sum = 0;
        for (long n = range.from(); n < range.to(); n++) {
            sum += n * n;
        }
        return sum;
    }
}
