package com.example.client;

import dev.procpool.job.TaskFunction;

/** The sum of n * n for the {@code count} numbers from an input on: one task. Its field travels with it. */
public record SquareSum(long count) implements TaskFunction<Long, Long> {

    @Override
    public Long apply(Long from) {
        long sum = 0;
        for (long n = from; n < from + count; n++) {
            sum += n * n;
        }
        return sum;
    }
}
