package com.example.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procpool.ProcessPool;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client's own function on two worker processes, from the client's own test. */
@Timeout(120)
class SquareSumTest {

    @Test
    void sumOfSquares_onTwoWorkerProcesses() {
        try (ProcessPool pool = ProcessPool.builder().workers(2).start()) {
            List<Long> sums = pool.map(new SquareSum(500_000), List.of(0L, 500_000L));

            assertEquals(333_332_833_333_500_000L, sums.get(0) + sums.get(1));
            assertEquals(2, pool.workerPids().size());
        }
    }
}
