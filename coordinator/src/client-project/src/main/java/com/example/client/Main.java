package com.example.client;

import dev.procpool.ProcessPool;
import java.util.List;
import java.util.stream.LongStream;

/** Sums squares on two worker processes with the client's own function. */
public final class Main {

    public static void main(String[] args) {
        List<Long> starts = LongStream.range(0, 8).map(i -> i * 125_000).boxed().toList();
        try (ProcessPool pool = ProcessPool.builder().workers(2).start()) {
            long sum = pool.map(new SquareSum(125_000), starts).stream().mapToLong(Long::longValue).sum();
            System.out.println("sum of squares below 1000000: " + sum + ", on workers " + pool.workerPids());
        }
    }
}
