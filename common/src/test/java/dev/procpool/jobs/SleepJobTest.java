package dev.procpool.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.job.Range;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SleepJobTest {

    private final SleepJob job = new SleepJob();

    @Test
    void compute_waitsTenMillisecondsPerUnit_andCountsTheWaits() throws Exception {
        long start = System.nanoTime();

        long waits = job.compute(new Range(5, 8));

        assertEquals(3, waits);
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(3 * SleepJob.WAIT_MILLIS),
                "it waited at least 30 ms");
    }

    @Test
    void tasks_coverEveryWaitOnce_soTheResultIsTheSize() throws Exception {
        long total = job.identity();
        int count = job.taskCount(7, 3);
        for (int i = 0; i < count; i++) {
            total = job.combine(total, job.compute(job.task(7, count, i)));
        }

        assertEquals(7, total);
    }
}
