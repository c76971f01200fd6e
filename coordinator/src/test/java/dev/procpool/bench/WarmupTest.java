package dev.procpool.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** When the throughput's warm-up ends: once the rate has stopped climbing, not at the first two similar runs. */
class WarmupTest {

    /** How many runs of these durations (ms) the warm-up takes. */
    private static int runsUntilSteady(long... millis) {
        PoolBench.Warmup warmup = new PoolBench.Warmup();
        int runs = 0;
        for (long ms : millis) {
            if (warmup.steady()) {
                break;
            }
            warmup.add(ms * 1_000_000);
            runs++;
        }
        return runs;
    }

    @Test
    void slowClimbWithAPlateauEarlyOn_goesOnUntilTheClimbIsOver() {
        // Rates 0.5, 0.7, 0.6, 0.6, 0.7, 0.8, 0.8, 1.1, 1.9, 2.3, 2.8, 3.4 M/s, then flat, for 200,000 tasks.
        long[] runs = {400, 285, 333, 333, 285, 250, 250, 182, 105, 87, 71, 59, 60, 61, 59, 60, 60};

        assertEquals(15, runsUntilSteady(runs), "three runs after the fastest, 59 ms, fail to beat it by 5%");
    }

    @Test
    void flatFromTheStart_stopsOnceTwoSecondsHaveRun() {
        assertEquals(5, runsUntilSteady(500, 500, 500, 500, 500, 500, 500, 500));
        // At 60 ms a run, two seconds take 34 runs: the limit of thirty comes first.
        assertEquals(30, runsUntilSteady(new long[] {60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60,
            60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60}));
    }

    @Test
    void neverSettling_stopsAtThirty() {
        long[] faster = new long[40];
        for (int i = 0; i < faster.length; i++) {
            faster[i] = Math.round(1000 * Math.pow(0.9, i)); // 10% faster each run
        }

        assertEquals(30, runsUntilSteady(faster));
    }
}
