package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.FaultJob;
import dev.procpool.testing.FaultJob.Fault;
import dev.procpool.testing.FaultJob.Kind;
import dev.procpool.testing.TestPools;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 200,000 small tasks (50 us of work each, about five seconds in all) through two workers while one of them is
 * SIGKILLed every second: every task answers exactly once with its own value, and the coordinator's heap does
 * not grow with the number of tasks.
 */
@Timeout(300)
class SoakTest {

    private static final int TASKS = 200_000;
    private static final int IN_FLIGHT = 2_000;
    private static final long TASK_MICROS = 50;
    private static final long ALLOWED_GROWTH_BYTES = 16L << 20;

    @Test
    void twoHundredThousandTasks_workerKilledEverySecond_eachAnsweredExactlyOnce() throws Exception {
        BitSet answered = new BitSet(TASKS);
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger wrongValues = new AtomicInteger();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        Semaphore window = new Semaphore(IN_FLIGHT);
        CountDownLatch done = new CountDownLatch(TASKS);
        AtomicInteger kills = new AtomicInteger();
        FaultJob job = new FaultJob();
        long heapAtQuarter = 0;

        try (ProcessPool pool = TestPools.builder(2).retries(5).notices(notice -> { }).start()) {
            Thread killer = new Thread(() -> killEverySecond(pool, done, kills), "test-killer");
            killer.setDaemon(true);
            killer.start();
            for (int i = 0; i < TASKS; i++) {
                if (i == TASKS / 4) {
                    heapAtQuarter = usedHeapAfterGc();
                }
                window.acquire();
                int id = i;
                pool.submit(job, new Fault(Kind.SPIN, TASK_MICROS, id, null)).whenComplete((value, error) -> {
                    synchronized (answered) {
                        if (answered.get(id)) {
                            duplicates.incrementAndGet();
                        }
                        answered.set(id);
                    }
                    if (error != null) {
                        firstError.compareAndSet(null, error);
                    } else if (value != id) {
                        wrongValues.incrementAndGet();
                    }
                    window.release();
                    done.countDown();
                });
            }
            assertTrue(done.await(240, TimeUnit.SECONDS), done.getCount() + " tasks never answered");
            long heapAtEnd = usedHeapAfterGc();

            assertEquals(null, firstError.get(), "no task failed");
            assertEquals(TASKS, answered.cardinality(), "every task answered");
            assertEquals(0, duplicates.get(), "none answered twice");
            assertEquals(0, wrongValues.get(), "each with its own value");
            assertTrue(kills.get() >= 2, "workers were killed during the run: " + kills.get());
            assertTrue(heapAtEnd - heapAtQuarter < ALLOWED_GROWTH_BYTES, "heap grew from " + heapAtQuarter / 1024
                    + " KiB after " + TASKS / 4 + " tasks to " + heapAtEnd / 1024 + " KiB after " + TASKS);
        }
    }

    private static void killEverySecond(ProcessPool pool, CountDownLatch done, AtomicInteger kills) {
        try {
            while (!done.await(1, TimeUnit.SECONDS)) {
                List<Long> pids = pool.workerPids();
                if (!pids.isEmpty()) {
                    ProcessHandle.of(pids.get(kills.get() % pids.size())).ifPresent(ProcessHandle::destroyForcibly);
                    kills.incrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
