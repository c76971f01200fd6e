package com.example.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procpool.ProcessPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client's own job on two worker processes, from the client's own test. */
@Timeout(120)
class SquaresJobTest {

    @Test
    void sumOfSquares_onTwoWorkerProcesses() {
        try (ProcessPool pool = ProcessPool.builder().workers(2).start()) {
            assertEquals(333_332_833_333_500_000L, pool.run(new SquaresJob(), 1_000_000, 8).value());
            assertEquals(2, pool.workerPids().size());
        }
    }
}
