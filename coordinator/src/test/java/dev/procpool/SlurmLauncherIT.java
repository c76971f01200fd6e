package dev.procpool;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.job.Job;
import dev.procpool.job.JobRegistry;
import dev.procpool.spi.SlurmLauncher;
import dev.procpool.spi.WorkerCommand;
import dev.procpool.testing.SlurmCluster;
import dev.procpool.testing.TestPools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SlurmLauncher} against a real Slurm cluster (two nodes on this machine, see {@link SlurmCluster}), in this
 * JVM, with an allocation the launcher asks for: the sqrt job gives the bits of threads, with its workers on both nodes,
 * also when a worker is killed, its step cancelled or its node lost mid-run; and nothing of the allocation is left once
 * the launcher is closed.
 */
@Timeout(90)
class SlurmLauncherIT {

    /** Big enough that a run lasts a few seconds on two busy cores: time to hit a worker mid-run. */
    private static final long LONG_SIZE = 1_600_000_000L;
    private static final int LONG_TASKS = 32;
    private static final long SHORT_SIZE = 100_000_000L;
    private static final int SHORT_TASKS = 8;
    private static final Duration GONE_WITHIN = Duration.ofSeconds(5);
    private static final Job<?, ?> SQRT = JobRegistry.loadDefault().get("sqrt");
    private static long threadsLong;
    private static long threadsShort;

    private final ConcurrentLinkedQueue<String> notices = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void computeWithThreads() {
        SlurmCluster.assumeAvailable();
        try (ThreadRunner threads = new ThreadRunner(2)) {
            threadsLong = bits(threads.run(SQRT, LONG_SIZE, LONG_TASKS));
            threadsShort = bits(threads.run(SQRT, SHORT_SIZE, SHORT_TASKS));
        }
    }

    @BeforeEach
    void clusterAnswers() {
        SlurmCluster.assumeAvailable();
    }

    @Test
    void outsideAnAllocation_asksForOne_sameBitsAsThreads_onBothNodes_andGivesItBack() throws IOException {
        String job;
        try (SlurmLauncher launcher = launcher(List.of("--ntasks-per-node=2"));
                ProcessPool pool = TestPools.builder(4).launcher(launcher).start()) {
            job = launcher.jobId();
            assertTrue(SlurmCluster.jobs().contains(job), "the allocation " + job + " is in squeue");

            assertEquals(threadsShort, bits(pool.run(SQRT, SHORT_SIZE, SHORT_TASKS)), "same bits as threads");
            assertEquals(Set.copyOf(SlurmCluster.NODES), nodesOf(pool), "workers on both nodes: " + pool.workerInfo());
        }
        await().atMost(GONE_WITHIN).until(() -> !SlurmCluster.holds(job));
        assertTrue(notices.stream().anyMatch(notice -> notice.contains("allocation " + job)), "says so: " + notices);
    }

    /** With a node-local directory, the class path goes there by sbcast and the workers run from those copies. */
    @Test
    void nodeLocalCopies_bySbcast_workersRunFromThem_sameBitsAsThreads(@TempDir Path nodeLocal) throws IOException {
        try (SlurmLauncher launcher = new SlurmLauncher(4, List.of("--ntasks-per-node=2"), Map.of(), notices::add,
                        nodeLocal);
                ProcessPool pool = TestPools.builder(4).launcher(launcher).start()) {
            assertEquals(threadsShort, bits(pool.run(SQRT, SHORT_SIZE, SHORT_TASKS)), "same bits as threads");

            for (WorkerInfo worker : pool.workerInfo()) {
                String commandLine = ProcessHandle.of(worker.pid()).flatMap(process -> process.info().commandLine())
                        .orElseThrow(() -> new AssertionError("worker " + worker + " is gone"));
                assertTrue(commandLine.contains(nodeLocal.toString()), "runs from " + nodeLocal + ": " + commandLine);
            }
        }
        try (Stream<Path> walk = Files.walk(nodeLocal)) {
            List<Path> copied = walk.filter(Files::isRegularFile).toList();
            assertFalse(copied.isEmpty(), "nothing was copied into " + nodeLocal);
            for (Path file : copied) {
                assertTrue(file.getParent().getFileName().toString().matches("[0-9a-f]{32}"),
                        file + " is not filed under a content hash");
            }
        }
    }

    @Test
    void workerSigkilledMidRun_sameBitsAsThreads() throws Exception {
        try (SlurmLauncher launcher = launcher(List.of("--ntasks-per-node=2"));
                ProcessPool pool = TestPools.builder(4).launcher(launcher).notices(notices::add).start()) {
            long pid = pool.workerInfo().get(0).pid();

            long sum = runHitting(pool, () -> ProcessHandle.of(pid).orElseThrow().destroyForcibly());

            assertEquals(threadsLong, sum, "same bits as threads");
            assertRetried("pid " + pid);
        }
    }

    @Test
    void stepCancelledMidRun_sameBitsAsThreads() throws Exception {
        try (SlurmLauncher launcher = launcher(List.of("--ntasks-per-node=2"));
                ProcessPool pool = TestPools.builder(4).launcher(launcher).notices(notices::add).start()) {
            String step = SlurmCluster.steps(launcher.jobId()).get(0);

            long sum = runHitting(pool, () -> SlurmCluster.cancel(step));

            assertEquals(threadsLong, sum, "same bits as threads");
            assertRetried("worker");
        }
    }

    @Test
    void nodeLostMidRun_sameBitsAsThreads() throws Exception {
        try (SlurmLauncher launcher = launcher(List.of("--ntasks-per-node=2"));
                ProcessPool pool = TestPools.builder(4).launcher(launcher).notices(notices::add).start()) {
            assertEquals(Set.copyOf(SlurmCluster.NODES), nodesOf(pool), "workers on both nodes: " + pool.workerInfo());

            long sum = runHitting(pool, () -> SlurmCluster.down("n2"));

            assertEquals(threadsLong, sum, "same bits as threads");
            assertRetried("worker");
            assertEquals(Set.of("n1"), nodesOf(pool), "the workers left run on n1: " + pool.workerInfo());
        } finally {
            SlurmCluster.resume("n2");
        }
    }

    @Test
    void badRequest_failsWithOneLineNamingWhatSlurmSaid() throws IOException {
        String name;
        try (SlurmLauncher launcher = launcher(List.of("--partition=nosuch"))) {
            WorkerStartException error = assertThrows(WorkerStartException.class,
                    () -> TestPools.builder(2).launcher(launcher).start().close());

            String message = error.getMessage();
            assertFalse(message.contains("\n"), "one line: " + message);
            assertTrue(message.contains("Slurm gave no allocation of 4 tasks (request procpool-")
                    && message.contains("nosuch") && message.toLowerCase().contains("invalid partition"), message);
            name = message.replaceFirst("^.*\\(request (procpool-[0-9a-f]+)\\).*$", "$1");
        }
        // Only this test's own request: other users' jobs come and go on a shared cluster.
        assertEquals(List.of(), SlurmCluster.statesOfJobsNamed(name), "no allocation left");
    }

    /** A request still queued when the wait for it ends is withdrawn: Slurm has no job of its name a moment later. */
    @Test
    void requestNotGrantedInTime_isWithdrawnFromTheQueue() throws Exception {
        try (SlurmLauncher launcher = launcher(List.of("--begin=now+600")).withGrantTimeout(Duration.ofSeconds(3))) {
            CompletableFuture<Void> start = CompletableFuture.runAsync(
                    () -> TestPools.builder(4).launcher(launcher).start().close());
            String name = pendingRequest();

            ExecutionException failed = assertThrows(ExecutionException.class, () -> start.get(30, TimeUnit.SECONDS));

            String message = failed.getCause().getMessage();
            assertTrue(message.contains("Slurm gave no allocation of 4 tasks within 3 s") && message.contains(name)
                    && message.contains("withdrawn"), message);
            await().atMost(GONE_WITHIN).until(() -> SlurmCluster.statesOfJobsNamed(name).isEmpty());
        }
    }

    /**
     * A java that is not Java 25 on the nodes, and a class path entry that is not there: the launcher says so in one
     * line naming both nodes and what to do, before any worker starts, and gives its allocation back.
     */
    @Test
    void nodesWithAnOldJavaAndAMissingEntry_failToPrepare_withOneLineNamingEachNodeAndTheFix(@TempDir Path own)
            throws Exception {
        Path oldJava = Files.writeString(own.resolve("java"),
                "#!/bin/sh\necho 'openjdk version \"17.0.15\" 2025-04-15' >&2\n");
        Files.setPosixFilePermissions(oldJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path present = Files.writeString(own.resolve("present.jar"), "not read");
        Path absent = own.resolve("absent.jar");
        WorkerCommand command = new WorkerCommand(1, oldJava.toString(), List.of(), List.of(present, absent), "Main",
                List.of());
        String job;
        try (SlurmLauncher launcher = launcher(List.of("--ntasks-per-node=2"))) {
            IOException error = assertThrows(IOException.class, () -> launcher.prepare(command));

            String message = error.getMessage();
            assertFalse(message.contains("\n"), "one line: " + message);
            assertTrue(message.startsWith("nodes n1, n2 of Slurm job ") || message.startsWith("nodes n2, n1 of Slurm job "),
                    message);
            assertTrue(message.contains(oldJava + " there is Java 17") && message.contains("no " + absent + " there")
                    && !message.contains("no " + present), message);
            assertTrue(message.contains("install Java 25 or later at " + oldJava) && message.contains("--slurm-copy-to"),
                    message);
            job = message.replaceFirst("^.* of Slurm job (\\S+) .*$", "$1");
            assertEquals(null, launcher.jobId(), "the allocation is no longer in use");
        }
        await().atMost(GONE_WITHIN).until(() -> !SlurmCluster.holds(job));
    }

    /** A java path that is wrong on every node: nothing runs there, and the message says what the nodes said. */
    @Test
    void javaMissingOnTheNodes_failsToPrepare_namingWhatTheNodesSaid(@TempDir Path own) throws Exception {
        Path present = Files.writeString(own.resolve("present.jar"), "not read");
        String java = own.resolve("no-such-java").toString();
        WorkerCommand command = new WorkerCommand(1, java, List.of(), List.of(present), "Main", List.of());
        try (SlurmLauncher launcher = launcher(List.of("--ntasks-per-node=2"))) {
            IOException error = assertThrows(IOException.class, () -> launcher.prepare(command));

            String message = error.getMessage();
            assertTrue(message.contains(java + " does not run there (") && message.contains("not found")
                    && message.contains("install Java 25 or later at " + java + " on those nodes"), message);
        }
    }

    /**
     * close() while prepare() waits for Slurm: close returns at once (the lock is not held through the wait), the
     * request is withdrawn from the queue, and prepare fails saying the launcher was closed.
     */
    @Test
    void closeDuringAPrepareThatWaitsForSlurm_returnsAtOnce_withdrawsTheRequest_andPrepareFails() throws Exception {
        SlurmLauncher launcher = launcher(List.of("--begin=now+600"));
        CompletableFuture<Void> start = CompletableFuture.runAsync(
                () -> TestPools.builder(4).launcher(launcher).start().close());
        String name = pendingRequest();

        assertTimeoutPreemptively(Duration.ofSeconds(2), launcher::close, "close() waits on nothing prepare holds");

        ExecutionException failed = assertThrows(ExecutionException.class, () -> start.get(15, TimeUnit.SECONDS));
        String message = failed.getCause().getMessage();
        assertTrue(message.contains(name) && message.contains("withdrawn") && message.contains("closed"), message);
        await().atMost(GONE_WITHIN).until(() -> SlurmCluster.statesOfJobsNamed(name).isEmpty());
    }

    /** Waits until this JVM's {@code salloc} has a request pending in Slurm's queue, and returns its job name. */
    private static String pendingRequest() {
        AtomicReference<String> name = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            name.set(requestedJobName());
            return name.get() != null && SlurmCluster.statesOfJobsNamed(name.get()).equals(List.of("PENDING"));
        });
        return name.get();
    }

    /** The job name of the {@code salloc} this JVM runs now; null if none runs. */
    private static String requestedJobName() {
        try (Stream<ProcessHandle> children = ProcessHandle.current().descendants()) {
            return children.map(process -> process.info().commandLine().orElse(""))
                    .filter(line -> line.matches("^\\S*salloc .*"))
                    .map(line -> line.replaceFirst("^.*--job-name=(\\S+).*$", "$1"))
                    .filter(found -> found.startsWith("procpool-")).findFirst().orElse(null);
        }
    }

    /**
     * Runs the long sqrt job and, once some of its tasks are done and while most are not, does {@code hit}; returns
     * the sum's raw bits.
     */
    private static long runHitting(ProcessPool pool, Action hit) throws Exception {
        AtomicInteger done = new AtomicInteger();
        CompletableFuture<JobResult<?>> run = CompletableFuture.supplyAsync(
                () -> pool.run(SQRT, LONG_SIZE, LONG_TASKS, false, (finished, total) -> done.set(finished)));
        await().atMost(Duration.ofSeconds(30)).until(() -> done.get() >= 2 || run.isDone());
        assertTrue(done.get() < LONG_TASKS / 2, "the hit comes mid-run: " + done.get() + " of " + LONG_TASKS + " done");
        hit.run();
        return bits(run.get(60, TimeUnit.SECONDS));
    }

    /** A worker was lost while it held tasks, and they ran again elsewhere. */
    private void assertRetried(String which) {
        assertTrue(notices.stream().anyMatch(notice -> notice.contains(which) && notice.contains("retrying it")),
                "a worker was lost mid-task and its task retried: " + notices);
    }

    private SlurmLauncher launcher(List<String> slurmArgs) {
        // No SLURM_JOB_ID: outside any allocation, whatever this JVM runs in.
        return new SlurmLauncher(4, slurmArgs, Map.of(), notices::add);
    }

    private static Set<String> nodesOf(ProcessPool pool) {
        Set<String> nodes = new TreeSet<>();
        pool.workerInfo().forEach(worker -> nodes.add(worker.host()));
        return nodes;
    }

    private static long bits(JobResult<?> result) {
        return Double.doubleToRawLongBits((Double) result.value());
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }
}
