package com.example.jobs;

import dev.procpool.job.LongSum;
import dev.procpool.job.Range;
import dev.procpool.job.RangeJob;

/** The total number of Collatz steps taken by every number in [1, size) to reach 1. */
public final class CollatzJob implements RangeJob<Long>, LongSum<Range> {

    @Override
    public String name() {
        return "collatz";
    }

    @Override
    public String description() {
        return "total Collatz steps of the numbers in [1, size)";
    }

    @Override
    public long defaultSize() {
        return 20_000_000;
    }

    @Override
    public long first() {
        return 1;
    }

    @Override
    public Long compute(Range range) {
        long steps = 0;
        for (long n = range.from(); n < range.to(); n++) {
            for (long x = n; x != 1; steps++) {
                x = (x & 1) == 0 ? x >>> 1 : 3 * x + 1;
            }
        }
        return steps;
    }
}
