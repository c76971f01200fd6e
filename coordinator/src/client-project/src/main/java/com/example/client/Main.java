package com.example.client;

import dev.procpool.ProcessPool;

/** Sums squares on two worker processes with the client's own job. */
public final class Main {

    public static void main(String[] args) {
        try (ProcessPool pool = ProcessPool.builder().workers(2).start()) {
            long sum = pool.run(new SquaresJob(), 1_000_000, 8).value();
            System.out.println("sum of squares below 1000000: " + sum + ", on workers " + pool.workerPids());
        }
    }
}
