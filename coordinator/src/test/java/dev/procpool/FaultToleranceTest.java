package dev.procpool;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.internal.TaskCallback;
import dev.procpool.measure.TaskUsage;
import dev.procpool.jobs.SqrtJob;
import dev.procpool.spi.LocalWorker;
import dev.procpool.spi.WorkerLauncher;
import dev.procpool.testing.FaultJob;
import dev.procpool.testing.FaultJob.Fault;
import dev.procpool.testing.FaultJob.Kind;
import dev.procpool.testing.TestPools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the pool does when workers die, hang, misbehave or cannot start: real worker JVMs, real failures. */
@Timeout(120)
class FaultToleranceTest {

    private static final FaultJob FAULT = new FaultJob();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path markers;

    private final ConcurrentLinkedQueue<String> notices = new ConcurrentLinkedQueue<>();
    private final AtomicLong lastNoticeNanos = new AtomicLong();

    private ProcessPoolBuilder pool(int workers) {
        return TestPools.builder(workers).notices(notice -> {
            lastNoticeNanos.set(System.nanoTime());
            notices.add(notice);
        });
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<?> future) {
        return assertThrows(ExecutionException.class, () -> get(future)).getCause();
    }

    @Test
    void sigkilledWorker_isNoticedWithinASecond_andItsTaskRunsAgain() throws Exception {
        Path marker = markers.resolve("hang-once");
        try (ProcessPool pool = pool(1).start()) {
            long pid = pool.workerPids().get(0);
            CompletableFuture<Long> task = pool.submit(FAULT, Fault.once(Kind.HANG, 60_000, 5, marker));
            await().atMost(WAIT).until(() -> Files.exists(marker)); // it is computing

            long killed = System.nanoTime();
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();

            assertEquals(5L, get(task));
            long noticedAfter = lastNoticeNanos.get() - killed;
            assertTrue(noticedAfter < TimeUnit.SECONDS.toNanos(1), "noticed after " + noticedAfter / 1e6 + " ms");
            assertTrue(notices.stream().anyMatch(n -> n.contains("(pid " + pid + ") was killed by signal 9 (SIGKILL)")),
                    notices.toString());
            assertNotEquals(List.of(pid), pool.workerPids(), "replaced");
        }
    }

    @Test
    void systemExitInATask_workerReplaced_taskRunsAgain() throws Exception {
        try (ProcessPool pool = pool(1).start()) {
            assertEquals(7L, get(pool.submit(FAULT, Fault.once(Kind.EXIT, 3, 7, markers.resolve("exit-once")))));

            assertTrue(notices.stream().anyMatch(n -> n.contains("exited with status 3")), notices.toString());
        }
    }

    @Test
    void outOfMemoryInATask_workerExits_taskRunsAgain() throws Exception {
        try (ProcessPool pool = pool(1).start()) {
            assertEquals(8L, get(pool.submit(FAULT, Fault.once(Kind.OOM, 0, 8, markers.resolve("oom-once")))));

            assertTrue(notices.stream().anyMatch(n -> n.contains("OutOfMemoryError")), notices.toString());
        }
    }

    @Test
    void taskThatKeepsKillingWorkers_failsAfterItsRetries_withStatusAndStderr() {
        try (ProcessPool pool = pool(1).retries(2).start()) {
            CompletableFuture<Long> poison = pool.submit(FAULT, Fault.of(Kind.HALT, 42, 1));
            CompletableFuture<Long> bystander = pool.submit(FAULT, Fault.ok(2));

            WorkerCrashedException crashed = assertInstanceOf(WorkerCrashedException.class, failure(poison));
            assertEquals(42, crashed.exitStatus().orElseThrow());
            assertEquals(List.of("halting with status 42"), crashed.stderrTail());
            assertTrue(crashed.getMessage().startsWith("task HALT(42)#1 of job fault took down 3 workers (retries: 2)"),
                    crashed.getMessage());
            assertTrue(crashed.getMessage().contains("exited with status 42"), crashed.getMessage());
            assertEquals(2L, bystander.join(), "the task queued behind it was not blamed");
        }
    }

    @Test
    void retriesZero_firstCrashFailsTheTask() {
        try (ProcessPool pool = pool(1).retries(0).start()) {
            WorkerCrashedException crashed = assertInstanceOf(WorkerCrashedException.class,
                    failure(pool.submit(FAULT, Fault.of(Kind.HALT, 9, 1))));

            assertTrue(crashed.getMessage().contains("took down 1 worker (retries: 0)"), crashed.getMessage());
        }
    }

    @Test
    void workersKilledDuringARun_resultIsBitIdenticalToTheUnfaultedOne() throws Exception {
        SqrtJob sqrt = new SqrtJob();
        double expected = new SequentialRunner().run(sqrt, 400_000_000, 64).value();
        try (ProcessPool pool = pool(2).retries(10).start()) {
            Thread killer = new Thread(() -> killWorkers(pool, 6, Duration.ofMillis(250)), "test-killer");
            killer.setDaemon(true);
            killer.start();

            JobResult<Double> result = pool.run(sqrt, 400_000_000, 64);

            killer.join(TimeUnit.SECONDS.toMillis(10));
            assertEquals(expected, result.value());
        }
        assertTrue(notices.stream().anyMatch(n -> n.contains("SIGKILL")), "workers were killed: " + notices);
    }

    @Test
    void taskPastItsTimeLimit_failsWithinTheLimitPlusASecond_andTheWorkerIsReplaced() throws Exception {
        try (ProcessPool pool = pool(1).taskTimeout(Duration.ofMillis(500)).start()) {
            long pid = pool.workerPids().get(0);
            long start = System.nanoTime();
            CompletableFuture<Long> hung = pool.submit(FAULT, Fault.of(Kind.HANG, 60_000, 1));
            CompletableFuture<Long> queuedBehind = pool.submit(FAULT, Fault.ok(2));

            TaskTimeoutException timeout = assertInstanceOf(TaskTimeoutException.class, failure(hung));
            long elapsed = System.nanoTime() - start;

            assertTrue(elapsed < TimeUnit.MILLISECONDS.toNanos(1_500), "failed after " + elapsed / 1e6 + " ms");
            assertEquals(Duration.ofMillis(500), timeout.limit());
            assertEquals(pid, timeout.pid());
            assertTrue(timeout.getMessage().contains("ran past its time limit of 500 ms"), timeout.getMessage());
            assertEquals(2L, get(queuedBehind));
            await().atMost(WAIT).until(() -> !pool.workerPids().contains(pid) && pool.workerPids().size() == 1);
        }
    }

    @Test
    void lastTaskOfARetiringWorker_stillHasATimeLimit() throws Exception {
        try (ProcessPool pool = pool(1).maxTasksPerWorker(1).taskTimeout(Duration.ofSeconds(2)).start()) {
            CompletableFuture<Long> hung = pool.submit(FAULT, Fault.of(Kind.HANG, 60_000, 1));

            assertInstanceOf(TaskTimeoutException.class, failure(hung));
            assertEquals(2L, get(pool.submit(FAULT, Fault.ok(2))));
        }
    }

    @Test
    void taskTooLargeToSend_failsAlone_whileTheTasksAroundItRun() throws Exception {
        try (ProcessPool pool = pool(1).maxFrameBytes(64 * 1024).tasksInFlightPerWorker(4).start()) {
            CompletableFuture<Long> computing = pool.submit(FAULT, Fault.of(Kind.SPIN, 300_000, 1));
            // Sent while the first computes, so it is not the oldest task the worker holds.
            CompletableFuture<Long> tooLarge = pool.submit(FAULT, new Fault(Kind.OK, 0, 2, "x".repeat(100_000)));
            CompletableFuture<Long> behind = pool.submit(FAULT, Fault.ok(3));

            ProcPoolException error = assertInstanceOf(ProcPoolException.class, failure(tooLarge));
            assertTrue(error.getMessage().contains("cannot be sent to a worker"), error.getMessage());
            assertEquals(1L, get(computing));
            assertEquals(3L, get(behind));
            assertTrue(notices.isEmpty(), "no worker was harmed: " + notices);
        }
    }

    @Test
    void callbackThatThrowsAnError_workerIsReplaced_andTheTaskItHeldStillSettles() throws Exception {
        try (ProcessPool pool = pool(1).tasksInFlightPerWorker(4).start()) {
            TaskCallback throwing = new TaskCallback() {
                @Override
                public void succeeded(Object value, TaskUsage usage) {
                    throw new AssertionError("a callback's own error, thrown on purpose by this test");
                }

                @Override
                public void failed(Throwable error) {
                }

                @Override
                public boolean abandoned() {
                    return false;
                }
            };
            TaskFuture<Object> second = new TaskFuture<>(Runnable::run);

            // Both spin, so the first result arrives alone while the second is computing.
            pool.sink().execute(FAULT, List.of(Fault.of(Kind.SPIN, 100_000, 1), Fault.of(Kind.SPIN, 200_000, 2)),
                    List.of(throwing, second));

            assertEquals(2L, get(second));
            assertTrue(notices.stream().anyMatch(n -> n.contains("could not be handled")), notices.toString());
        }
    }

    @Test
    void strayBytesOnAChannelThatIsNotIsolated_reportedAsText_workerReplaced_taskRunsAgain() throws Exception {
        // A launcher that leaves the protocol on stdin and stdout (as one without /bin/sh might): a task's bytes on
        // descriptor 1 then reach the channel, and are a protocol error.
        WorkerLauncher unisolated = command -> new LocalWorker(new ProcessBuilder(command.toList()).start(),
                "localhost");
        try (ProcessPool pool = pool(1).launcher(unisolated).start()) {
            long pid = pool.workerPids().get(0);

            assertEquals(3L, get(pool.submit(FAULT, Fault.once(Kind.STRAY_STDOUT, 0, 3, markers.resolve("stray-once")))));

            assertTrue(notices.stream().anyMatch(n -> n.contains("worker 1 (pid " + pid + ") had garbage on its protocol stream")
                            && n.contains("stray bytes from native code")), notices.toString());
        }
    }

    @Test
    void megabytesPrintedToSystemOut_doNotDisturbTheProtocol() throws Exception {
        TestPools.CollectedOutput output = new TestPools.CollectedOutput();
        try (ProcessPool pool = pool(1).workerOutput(output).start()) {
            assertEquals(4L, get(pool.submit(FAULT, Fault.of(Kind.PRINT_STDOUT, 4_000_000, 4))));
            assertEquals(5L, get(pool.submit(FAULT, Fault.ok(5))));

            await().atMost(WAIT).until(() -> output.lines().size() > 100_000);
            assertTrue(notices.isEmpty(), notices.toString());
        }
    }

    @Test
    void maxTasksPerWorker_replacesTheWorkerAfterItsQuota() throws Exception {
        try (ProcessPool pool = pool(1).maxTasksPerWorker(3).start()) {
            Set<Long> pids = new HashSet<>();
            for (int i = 0; i < 12; i++) {
                pids.add(get(pool.submit(FAULT, Fault.of(Kind.PID, 0, 0))));
            }

            assertEquals(4, pids.size(), "12 tasks, 3 per worker: " + pids);
            assertTrue(notices.isEmpty(), "recycling is not a failure: " + notices);
        }
    }

    private static void killWorkers(ProcessPool pool, int kills, Duration every) {
        for (int i = 0; i < kills; i++) {
            try {
                new java.util.concurrent.CountDownLatch(1).await(every.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            List<Long> pids = pool.workerPids();
            if (!pids.isEmpty()) {
                ProcessHandle.of(pids.get(i % pids.size())).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
