package dev.procpool;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.job.Job;
import dev.procpool.job.RangeJob;
import dev.procpool.jobs.SqrtJob;
import dev.procpool.testing.FaultJob;
import dev.procpool.testing.FaultJob.Fault;
import dev.procpool.testing.FaultJob.Kind;
import dev.procpool.testing.TestPools;
import dev.procpool.testing.ThirdFailsJob;
import dev.procpool.job.Range;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The process pool's behaviour with real worker JVMs started from the test class path. */
@Timeout(120)
class ProcessPoolTest {

    private static final FaultJob FAULT = new FaultJob();

    @Test
    void submit_taskResult_completesFuture() throws Exception {
        try (ProcessPool pool = TestPools.builder(1).start()) {
            CompletableFuture<Double> future = pool.submit(new SqrtJob(), new Range(1, 5));

            assertEquals(new SqrtJob().compute(new Range(1, 5)), future.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void submit_taskThrows_failsWithRemoteStackTrace() {
        try (ProcessPool pool = TestPools.builder(1).start()) {
            CompletableFuture<Long> future = pool.submit(FAULT, Fault.of(Kind.THROW, 0, 42));

            ExecutionException thrown = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
            TaskFailedException failure = assertInstanceOf(TaskFailedException.class, thrown.getCause());
            assertEquals("fault", failure.job());
            assertTrue(failure.location().startsWith("worker 1 (pid "), failure.location());
            RemoteException remote = assertInstanceOf(RemoteException.class, failure.getCause());
            assertEquals("java.lang.IllegalStateException", remote.remoteClassName());
            assertEquals("java.lang.IllegalStateException: boom 42", remote.toString());
            assertTrue(Arrays.stream(remote.getStackTrace())
                            .anyMatch(frame -> frame.getClassName().equals(FaultJob.class.getName())
                                    && frame.getMethodName().equals("compute")),
                    "the remote stack trace shows where the task threw: " + Arrays.toString(remote.getStackTrace()));
        }
    }

    @Test
    void run_taskThrows_jobFailureNamesTheTask() {
        try (ProcessPool pool = TestPools.builder(2).start()) {
            JobFailedException failure = assertThrows(JobFailedException.class,
                    () -> pool.run(new ThirdFailsJob(), 8, 8));

            assertEquals(1, failure.failures().size());
            assertEquals(3, failure.failures().get(0).index());
            assertTrue(failure.getMessage().contains(
                            "task 4 of 8 ([3, 4)) threw java.lang.IllegalStateException: boom 3 on worker "),
                    failure.getMessage());
        }
    }

    @Test
    void run_unevenTasks_resultIsTheSumOfAllTasks() {
        try (ProcessPool pool = TestPools.builder(2).start()) {
            JobResult<Long> result = pool.run(FAULT, 500, 500);

            assertEquals(500L * 499 / 2, result.value());
            assertEquals(500, result.tasks());
        }
    }

    @Test
    void taskPrintsToStdout_protocolIntact_outputReachesStderrWithPrefix() throws Exception {
        TestPools.CollectedOutput output = new TestPools.CollectedOutput();
        try (ProcessPool pool = TestPools.builder(1).workerOutput(output).start()) {
            CompletableFuture<Long> noisy = pool.submit(FAULT, Fault.of(Kind.PRINT_STDOUT, 200_000, 7));
            CompletableFuture<Long> after = pool.submit(FAULT, Fault.ok(8));

            assertEquals(7L, noisy.get(30, TimeUnit.SECONDS));
            assertEquals(8L, after.get(30, TimeUnit.SECONDS));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> output.lines().stream().anyMatch(line -> line.startsWith("[worker 1] noise from a task")));
        }
    }

    @Test
    void close_stopsEveryWorkerProcess() {
        ProcessPool pool = TestPools.builder(2).start();
        List<ProcessHandle> workers = pool.workerPids().stream()
                .map(ProcessHandle::of).flatMap(Optional::stream).toList();
        assertEquals(2, workers.size());

        pool.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> workers.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void close_pendingTasksFailWithPoolClosed() {
        ProcessPool pool = TestPools.builder(1).start();
        CompletableFuture<Long> hung = pool.submit(FAULT, Fault.of(Kind.HANG, 60_000, 1));
        CompletableFuture<Long> queued = pool.submit(FAULT, Fault.ok(2));
        CompletableFuture<Long> waiting = pool.submit(FAULT, Fault.ok(3));

        pool.close();

        for (CompletableFuture<Long> future : List.of(hung, queued, waiting)) {
            ExecutionException thrown = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
            assertInstanceOf(PoolClosedException.class, thrown.getCause());
        }
    }

    @Test
    void submit_afterClose_failsTheFutureWithPoolClosed() {
        ProcessPool pool = TestPools.builder(1).start();
        pool.close();

        CompletableFuture<Long> future = pool.submit(FAULT, Fault.ok(1));
        assertInstanceOf(PoolClosedException.class, assertThrows(Exception.class, future::join).getCause());
    }

    @Test
    void submit_jobWithFields_isRefusedBeforeAnythingIsSent_sayingToMakeItARecord() {
        try (ProcessPool pool = TestPools.builder(1).start()) {
            JobNotSendableException thrown = assertThrows(JobNotSendableException.class,
                    () -> pool.submit(new SqrtWithAField(), new Range(1, 2)));
            assertTrue(thrown.getMessage().contains("instance fields (sqrt)"), thrown.getMessage());
            assertTrue(thrown.getMessage().contains("make it a record"), thrown.getMessage());
            assertEquals(SqrtWithAField.class.getName(), thrown.jobClass());
        }
    }

    @Test
    void submit_jobInNoServicesFile_runs() throws Exception {
        try (ProcessPool pool = TestPools.builder(1).start()) {
            assertEquals(new SqrtJob().compute(new Range(1, 1000)),
                    pool.submit(new FieldlessSqrt(), new Range(1, 1000)).get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void start_userChoosesACollector_workersRunOnIt() {
        try (ProcessPool pool = TestPools.builder(1).jvmArgs("-XX:+UseParallelGC").start()) {
            List<String> arguments = ProcessHandle.of(pool.workerPids().get(0)).orElseThrow().info().arguments()
                    .map(List::of).orElseThrow();

            assertTrue(arguments.contains("-XX:+UseParallelGC"), arguments.toString());
            assertFalse(arguments.contains("-XX:+UseSerialGC"), "the JVM refuses two collectors: " + arguments);
            assertEquals(new SequentialRunner().run(new SqrtJob(), 1_000, 2).value(),
                    pool.run(new SqrtJob(), 1_000, 2).value());
        }
    }

    @Test
    void byDefault_workersStartFromThisProgramsClassPath_andFindItsJobs() throws Exception {
        try (ProcessPool pool = ProcessPool.builder().workers(1).jvmArgs("-Xmx96m").aotCacheDirectory(null)
                .workerOutput(WorkerOutput.discard()).start()) {
            CompletableFuture<Long> future = pool.submit(FAULT, Fault.of(Kind.OK, 0, 42));

            assertEquals(42L, future.get(30, TimeUnit.SECONDS), "a job that only the test classes hold");
        }
    }

    @Test
    void run_jobWhoseClassTheWorkersLack_failsNamingTheClassAndHowToGiveItToThem() {
        // The test classes are not on this worker's class path: the fault job is not there.
        List<Path> withoutTests = TestPools.classpath().stream()
                .filter(entry -> !entry.getFileName().toString().equals("test-classes")).toList();
        try (ProcessPool pool = TestPools.builder(1).workerClasspath(withoutTests).start()) {
            JobFailedException thrown = assertThrows(JobFailedException.class, () -> pool.run(FAULT, 4, 4));

            JobNotSendableException cause = assertInstanceOf(JobNotSendableException.class,
                    thrown.failures().get(0).cause());
            assertTrue(cause.getMessage().startsWith("job 'fault' (" + FaultJob.class.getName() + ") cannot be made "
                    + "in worker 1 (pid "), cause.getMessage());
            assertTrue(cause.getMessage().contains("is not on this worker's class path"), cause.getMessage());
            assertTrue(cause.getMessage().contains("ProcessPoolBuilder.classpath(...) (--classpath on the command "
                    + "line)"), cause.getMessage());
            // The workers' class path will not change: the next run fails at once, and other jobs still run.
            assertThrows(JobFailedException.class, () -> pool.run(FAULT, 4, 4));
            assertEquals(new SequentialRunner().run(new SqrtJob(), 1_000, 2).value(),
                    pool.run(new SqrtJob(), 1_000, 2).value());
        }
    }

    /** The sqrt job with its computation in a field, which would not travel: a job of this class is refused. */
    private static final class SqrtWithAField implements Job<Range, Double> {
        private final SqrtJob sqrt = new SqrtJob();

        @Override
        public String name() {
            return sqrt.name();
        }

        @Override
        public String description() {
            return sqrt.description();
        }

        @Override
        public long defaultSize() {
            return sqrt.defaultSize();
        }

        @Override
        public int taskCount(long size, int requested) {
            return sqrt.taskCount(size, requested);
        }

        @Override
        public Range task(long size, int taskCount, int index) {
            return sqrt.task(size, taskCount, index);
        }

        @Override
        public Double compute(Range task) {
            return sqrt.compute(task);
        }

        @Override
        public Double identity() {
            return sqrt.identity();
        }

        @Override
        public Double combine(Double combined, Double partial) {
            return sqrt.combine(combined, partial);
        }
    }

    /** The sqrt job under another class, which no META-INF/services file lists, and without fields. */
    private static final class FieldlessSqrt implements RangeJob<Double> {
        @Override
        public String name() {
            return "fieldless-sqrt";
        }

        @Override
        public String description() {
            return "sqrt, under a class of its own";
        }

        @Override
        public long defaultSize() {
            return 1_000;
        }

        @Override
        public Double compute(Range range) {
            return new SqrtJob().compute(range);
        }

        @Override
        public Double identity() {
            return 0.0;
        }

        @Override
        public Double combine(Double combined, Double partial) {
            return combined + partial;
        }
    }

    @Test
    void start_invalidJvmArgument_failsFastWithTheJvmsMessage() {
        long start = System.nanoTime();

        WorkerStartException thrown = assertThrows(WorkerStartException.class,
                () -> TestPools.builder(2).jvmArgs("-XX:+NoSuchOption").start());

        assertTrue(thrown.getMessage().contains("could not start"), thrown.getMessage());
        assertTrue(thrown.getMessage().contains("NoSuchOption"), thrown.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "failed fast");
    }

    @Test
    void workerCrash_withoutRetries_taskFailsWithExitStatusAndStderr() {
        try (ProcessPool pool = TestPools.builder(1).retries(0).notices(notice -> { }).start()) {
            CompletableFuture<Long> crash = pool.submit(FAULT, Fault.of(Kind.HALT, 33, 1));

            ExecutionException thrown = assertThrows(ExecutionException.class, () -> crash.get(30, TimeUnit.SECONDS));
            WorkerCrashedException crashed = assertInstanceOf(WorkerCrashedException.class, thrown.getCause());
            assertEquals(33, crashed.exitStatus().orElseThrow());
            assertEquals(1, crashed.workerId());
            assertEquals(List.of("halting with status 33"), crashed.stderrTail());
            assertTrue(crashed.getMessage().contains("exited with status 33"), crashed.getMessage());
        }
    }
}
