package dev.procpool.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the clock of a platform thread tells apart: computing, and waiting for something else. */
@Timeout(30)
class ThreadClockTest {

    @Test
    void computing_isCpuTime_notBlockedTime() {
        // The thread is either on a core or waiting for one, whatever else runs on this machine; but in a virtual
        // machine the hypervisor may take the core itself (steal time), which counts as neither. So a few tries: one
        // without much steal shows the split, and a clock that reads the wrong counters fails them all.
        List<TaskUsage> tries = new ArrayList<>();
        try (ThreadClock clock = ThreadClock.ofCurrentThread()) {
            for (int attempt = 0; attempt < 5; attempt++) {
                clock.start();
                spin(TimeUnit.MILLISECONDS.toNanos(50));
                TaskUsage usage = clock.stop();
                assertTrue(usage.cpuMeasured());
                assertTrue(usage.wallNanos() >= TimeUnit.MILLISECONDS.toNanos(50), usage.toString());
                tries.add(usage);
                if (usage.blockedNanos() < usage.wallNanos() / 4) {
                    return;
                }
            }
        }
        throw new AssertionError("a spinning thread looked blocked in every try: " + tries);
    }

    @Test
    void sleeping_isBlockedTime_withLittleCpu() throws InterruptedException {
        try (ThreadClock clock = ThreadClock.ofCurrentThread()) {
            clock.start();
            Thread.sleep(50); // the measured workload (blocked time), not a wait for anything
            TaskUsage usage = clock.stop();

            assertTrue(usage.cpuNanos() < usage.wallNanos() / 4, usage.toString());
            assertTrue(usage.blockedNanos() > usage.wallNanos() / 2, usage.toString());
        }
    }

    @Test
    void tinyTasks_aSampleIsMeasured_longOnesEveryTime() {
        try (ThreadClock clock = ThreadClock.ofCurrentThread()) {
            // A tiny task preempted for longer than a long task's length is measured as long, and the next is measured
            // too: on a busy machine, each such task allows one more.
            int measured = 0;
            int lookedLong = 0;
            for (int i = 0; i < 1 + 2 * ThreadClock.SAMPLE_EVERY; i++) {
                clock.startTask(7);
                TaskUsage usage = clock.stopTask();
                measured += usage.equals(TaskUsage.NONE) ? 0 : 1;
                lookedLong += usage.wallNanos() >= ThreadClock.LONG_TASK_NANOS ? 1 : 0;
            }
            assertTrue(measured >= 1 + 2 && measured <= 1 + 2 + lookedLong, measured + " measured, " + lookedLong
                    + " preempted: the first task, then one in " + ThreadClock.SAMPLE_EVERY);

            // Long tasks: once one of them is measured, every one is.
            int longMeasured = 0;
            for (int i = 0; i < ThreadClock.SAMPLE_EVERY + 3; i++) {
                clock.startTask(7);
                spin(ThreadClock.LONG_TASK_NANOS * 2);
                longMeasured += clock.stopTask().equals(TaskUsage.NONE) ? 0 : 1;
            }
            assertTrue(longMeasured >= 4, longMeasured + " long tasks measured");
            // The first tiny task after them is measured too (and the next, for as long as a preempted one looks
            // long); from then on, the sample again.
            TaskUsage tiny;
            int tries = 0;
            do {
                clock.startTask(7);
                tiny = clock.stopTask();
                assertFalse(tiny.equals(TaskUsage.NONE), "measured while the last one measured looked long");
            } while (tiny.wallNanos() >= ThreadClock.LONG_TASK_NANOS && ++tries < 1_000);
            clock.startTask(7);
            assertEquals(TaskUsage.NONE, clock.stopTask());

            // A new group starts with a measured task; tasks of no group are never measured.
            clock.startTask(8);
            assertFalse(clock.stopTask().equals(TaskUsage.NONE));
            clock.startTask(0);
            spin(ThreadClock.LONG_TASK_NANOS * 2);
            assertEquals(TaskUsage.NONE, clock.stopTask());
        }
    }

    @Test
    void onLinux_readsTheTimeSpentWaitingForACore() {
        try (ThreadClock clock = ThreadClock.ofCurrentThread()) {
            assertEquals(System.getProperty("os.name").startsWith("Linux"), clock.readsReadyTime());
        }
    }

    @Test
    void virtualThread_isRefused() throws Exception {
        AtomicReference<Throwable> refused = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                ThreadClock.ofCurrentThread().close();
            } catch (IllegalStateException e) {
                refused.set(e);
            }
        }).join(10_000);

        assertTrue(refused.get() != null && refused.get().getMessage().contains("virtual"), String.valueOf(refused.get()));
    }

    @Test
    void anotherThread_mayNotUseIt() throws Exception {
        try (ThreadClock clock = ThreadClock.ofCurrentThread()) {
            Throwable e = CompletableFuture.runAsync(clock::start).handle((ok, error) -> error).get(10, TimeUnit.SECONDS);

            assertTrue(e != null && e.getCause() instanceof IllegalStateException, String.valueOf(e));
        }
    }

    @Test
    void parseSecondField_readsTheRunQueueDelay() {
        byte[] line = "1034961513 85186952 393\n".getBytes(StandardCharsets.US_ASCII);

        assertEquals(85_186_952L, ThreadClock.parseSecondField(line, line.length));
        assertEquals(0, ThreadClock.parseSecondField(line, 11), "cut before the second field's digits");
        assertEquals(0, ThreadClock.parseSecondField(new byte[0], 0));
    }

    @Test
    void taskUsage_sumsAndShares() {
        TaskUsage a = new TaskUsage(100, 60, 10, true);
        TaskUsage sum = a.plus(new TaskUsage(50, 5, 0, true));

        assertEquals(new TaskUsage(150, 65, 10, true), sum);
        assertEquals(75, sum.blockedNanos());
        assertFalse(sum.plus(TaskUsage.wallOnly(10)).cpuMeasured(), "one unmeasured part makes the sum unmeasured");
        assertEquals(0, TaskUsage.wallOnly(10).blockedNanos(), "unknown, not all of it");
        assertEquals(new TaskUsage(50, 21, 3, true), sum.share(3));
        assertEquals(sum, TaskUsage.NONE.plus(sum));
        assertThrows(IllegalArgumentException.class, () -> new TaskUsage(-1, 0, 0, true));
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        double sink = 0;
        while (System.nanoTime() < end) {
            sink += Math.sqrt(sink + 1);
        }
        if (sink < 0) {
            throw new AssertionError(sink);
        }
    }
}
