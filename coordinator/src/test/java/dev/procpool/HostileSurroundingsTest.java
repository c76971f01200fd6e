package dev.procpool;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.job.Range;
import dev.procpool.jobs.SqrtJob;
import dev.procpool.spi.LaunchedWorker;
import dev.procpool.spi.WorkerLauncher;
import dev.procpool.testing.FaultJob;
import dev.procpool.testing.FaultJob.Fault;
import dev.procpool.testing.FaultJob.Kind;
import dev.procpool.testing.PayloadJob;
import dev.procpool.testing.TestPools;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool holds up when what surrounds it misbehaves: a notices consumer or a launcher that throws, a launcher that
 * takes its time, stages chained to futures that wait on the same runner, a worker that stops reading while it is
 * written to, a pool that can start no more workers. Every wait here is bounded, so a hang fails the test.
 */
@Timeout(120)
class HostileSurroundingsTest {

    private static final long WAIT_SECONDS = 30;
    private static final Duration WAIT = Duration.ofSeconds(WAIT_SECONDS);
    private final FaultJob faults = new FaultJob();

    @Test
    void aNoticesConsumerThatThrows_losesNoTask_andTheLostWorkerIsReplaced() throws Exception {
        try (ProcessPool pool = TestPools.builder(1).retries(1)
                .notices(notice -> {
                    throw new IllegalStateException("log appender closed");
                }).start()) {
            CompletableFuture<Long> crashing = pool.submit(faults, Fault.of(Kind.HALT, 7, 1));

            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> crashing.get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertInstanceOf(WorkerCrashedException.class, failed.getCause());
            assertEquals(2L, pool.submit(faults, Fault.ok(2)).get(WAIT_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void aNoticesConsumerThatThrows_doesNotEndTheTimeLimitWatch() throws Exception {
        AtomicBoolean thrown = new AtomicBoolean();
        try (ProcessPool pool = TestPools.builder(1).taskTimeout(Duration.ofMillis(300))
                .notices(notice -> {
                    if (thrown.compareAndSet(false, true)) {
                        throw new IllegalStateException("logger failed once");
                    }
                }).start()) {
            ExecutionException first = assertThrows(ExecutionException.class,
                    () -> pool.submit(faults, Fault.of(Kind.HANG, 60_000, 1)).get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertInstanceOf(TaskTimeoutException.class, first.getCause());
            await("the consumer threw").atMost(WAIT).untilTrue(thrown);

            ExecutionException second = assertThrows(ExecutionException.class,
                    () -> pool.submit(faults, Fault.of(Kind.HANG, 60_000, 2)).get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertInstanceOf(TaskTimeoutException.class, second.getCause());
        }
    }

    @Test
    void aLauncherWhoseCallsThrow_doesNotEndTheLivenessWatch() throws Exception {
        AtomicInteger thrown = new AtomicInteger();
        WorkerLauncher flaky = command -> new Delegating(WorkerLauncher.local().launch(command)) {
            @Override
            public void recordDescendants() {
                if (thrown.getAndIncrement() == 0) {
                    throw new UncheckedIOException(new IOException("ps failed"));
                }
                super.recordDescendants();
            }
        };
        try (ProcessPool pool = TestPools.builder(1).retries(0).heartbeatTimeout(Duration.ofMillis(1_000))
                .launcher(flaky).notices(notice -> { }).start()) {
            await("the liveness watch looked again after the launcher threw").atMost(WAIT).until(() -> thrown.get() > 1);

            ExecutionException lost = assertThrows(ExecutionException.class,
                    () -> pool.submit(faults, Fault.of(Kind.SELF_STOP, 0, 3)).get(WAIT_SECONDS, TimeUnit.SECONDS));

            assertInstanceOf(WorkerCrashedException.class, lost.getCause());
            assertTrue(lost.getCause().getMessage().contains("heartbeat"), lost.getCause().getMessage());
        }
    }

    @Test
    void aLaunchThatTakesItsTime_holdsUpNeitherSubmitNorReadyWorkersNorClose() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger launches = new AtomicInteger();
        WorkerLauncher slowThird = command -> {
            if (launches.incrementAndGet() == 3) {
                try {
                    release.await(WAIT_SECONDS, TimeUnit.SECONDS); // waiting for a node
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            return WorkerLauncher.local().launch(command);
        };
        ProcessPool pool = TestPools.builder(2).retries(0).launcher(slowThird).notices(notice -> { }).start();
        try {
            // Both first workers crash: the first replacement waits for its node, the second starts.
            CompletableFuture<Long> a = pool.submit(faults, Fault.of(Kind.HALT, 7, 1));
            CompletableFuture<Long> b = pool.submit(faults, Fault.of(Kind.HALT, 7, 2));
            assertThrows(ExecutionException.class, () -> a.get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertThrows(ExecutionException.class, () -> b.get(WAIT_SECONDS, TimeUnit.SECONDS));

            assertEquals(3L, pool.submit(faults, Fault.ok(3)).get(WAIT_SECONDS, TimeUnit.SECONDS),
                    "the worker that did start serves tasks while the other launch waits");
            assertEquals(1, release.getCount(), "the slow launch was still waiting");
        } finally {
            Thread closer = Thread.ofPlatform().start(pool::close);
            closer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertFalse(closer.isAlive(), "close returned while a launch was still waiting");
            release.countDown();
        }
        await("the worker launched after close was killed").atMost(WAIT).until(() -> pool.workerPids().isEmpty());
    }

    @Test
    void aWorkerAtItsQuota_whenNoMoreCanStart_leavesNoTaskWaitingForever() throws Exception {
        AtomicInteger launches = new AtomicInteger();
        WorkerLauncher twoOnly = command -> {
            if (launches.incrementAndGet() > 2) {
                throw new IOException("no more nodes in the allocation");
            }
            return WorkerLauncher.local().launch(command);
        };
        try (ProcessPool pool = TestPools.builder(2).maxTasksPerWorker(3).launcher(twoOnly).notices(notice -> { })
                .start()) {
            List<CompletableFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                futures.add(pool.submit(faults, Fault.of(Kind.SPIN, 20_000, i)));
            }
            int succeeded = 0;
            for (CompletableFuture<Long> future : futures) {
                try {
                    future.get(WAIT_SECONDS, TimeUnit.SECONDS);
                    succeeded++;
                } catch (ExecutionException e) {
                    assertInstanceOf(WorkerStartException.class, e.getCause(), e.getCause().toString());
                }
            }
            assertEquals(6, succeeded, "two workers, three tasks each, then none could be started");
        }
    }

    @Test
    void closeReturns_whileAWriteIsBlockedOnAWorkerThatStoppedReading() throws Exception {
        ProcessPool pool = TestPools.builder(1).tasksInFlightPerWorker(2).heartbeatTimeout(Duration.ofSeconds(60))
                .shutdownTimeout(Duration.ofSeconds(1)).notices(notice -> { }).start();
        long pid = pool.workerPids().get(0);
        pool.submit(faults, Fault.of(Kind.SELF_STOP, 0, 1));
        await("the worker stopped itself").atMost(WAIT).until(() -> "T".equals(processState(pid)));
        // A task far larger than a pipe holds: its write blocks until the worker reads, which it never does.
        PayloadJob payloads = new PayloadJob();
        Thread submitter = Thread.ofPlatform().daemon().start(() -> pool.submit(payloads, new byte[4 << 20]));

        Thread closer = Thread.ofPlatform().start(pool::close);
        closer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));

        assertFalse(closer.isAlive(), "close returned");
        submitter.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertFalse(submitter.isAlive(), "the blocked submit returned once the worker was killed");
        await("the stopped worker was killed").atMost(WAIT).until(() -> processState(pid).equals("gone"));
    }

    @Test
    void stagesThatSubmitAndWait_onARunnerWithOneThread_doNotDeadlock() throws Exception {
        SqrtJob sqrt = new SqrtJob();
        for (Runner runner : List.<Runner>of(new ThreadRunner(1), new VirtualThreadRunner(1))) {
            try (runner) {
                CompletableFuture<Double> nested = runner.submit(sqrt, new Range(1, 1_000))
                        .thenApply(first -> first + runner.submit(sqrt, new Range(1_000, 2_000)).join());

                double expected = new SqrtJob().compute(new Range(1, 2_000));
                assertEquals(expected, nested.get(WAIT_SECONDS, TimeUnit.SECONDS), 1e-6, runner.mode().toString());
            }
        }
    }

    @Test
    void aCompletionExecutorThatRunsInTheCaller_stillKeepsUsersCodeOffThePoolsThreads() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        try (ProcessPool pool = TestPools.builder(1).completionExecutor(Runnable::run).start()) {
            pool.submit(faults, Fault.ok(1)).thenRun(() -> threads.add(Thread.currentThread().getName()))
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        assertEquals(1, threads.size());
        assertTrue(threads.get(0).startsWith("procpool-completion-"), threads.get(0));
    }

    @Test
    void aWorkerJvmThatNeverStarts_failsTheCheckWithinTheStartupTimeout() {
        ProcessPoolBuilder waitsForADebugger = TestPools.builder(1).aotCacheDirectory(null)
                .startupTimeout(Duration.ofSeconds(3))
                .jvmArgs("-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=127.0.0.1:0");

        WorkerStartException refused = assertThrows(WorkerStartException.class, waitsForADebugger::check);

        assertTrue(refused.getMessage().contains("did not start within 3000 ms"), refused.getMessage());
    }

    private static String processState(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[0];
        } catch (IOException e) {
            return "gone";
        }
    }

    /** A launched worker that passes every call on, for launchers that change one. */
    private static class Delegating implements LaunchedWorker {
        private final LaunchedWorker local;

        Delegating(LaunchedWorker local) {
            this.local = local;
        }

        @Override
        public OutputStream stdin() {
            return local.stdin();
        }

        @Override
        public InputStream stdout() {
            return local.stdout();
        }

        @Override
        public InputStream stderr() {
            return local.stderr();
        }

        @Override
        public long pid() {
            return local.pid();
        }

        @Override
        public String host() {
            return local.host();
        }

        @Override
        public void identified(long workerPid, String workerHost) {
            local.identified(workerPid, workerHost);
        }

        @Override
        public CompletableFuture<Integer> onExit() {
            return local.onExit();
        }

        @Override
        public Optional<String> describeExit(int status) {
            return local.describeExit(status);
        }

        @Override
        public void kill() {
            local.kill();
        }

        @Override
        public void recordDescendants() {
            local.recordDescendants();
        }
    }
}
