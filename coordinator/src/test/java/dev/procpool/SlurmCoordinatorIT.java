package dev.procpool;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.CoordinatorJvm;
import dev.procpool.testing.Processes;
import dev.procpool.testing.SlurmCluster;
import dev.procpool.testing.SlurmCoordinator;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A coordinator in a JVM of its own ({@link SlurmCoordinator}) whose workers are Slurm job steps, inside an allocation
 * made with {@code salloc -N2 -n4} or in one it asks for: the sqrt job gives the bits of threads with workers on both
 * nodes, and its SIGKILL leaves nothing behind within 5 s: no worker JVM, no step, no {@code srun} or {@code salloc},
 * and no allocation of its own (the user's goes on).
 */
@Timeout(90)
class SlurmCoordinatorIT {

    private static final long SIZE = 100_000_000L;
    private static final int TASKS = 8;
    /** A run that lasts far longer than any test: it is killed mid-way. */
    private static final long ENDLESS_SIZE = 1L << 50;
    private static final Duration GONE_WITHIN = Duration.ofSeconds(5);
    /** {@code salloc -N2 -n4} running the coordinator's command line, then a shell that holds the allocation 60 s. */
    private static final List<String> SALLOC_OUTLIVING_THE_COORDINATOR = List.of("salloc", "--quiet", "-N2", "-n4",
            "/bin/sh", "-c", "\"$@\"; sleep 60", "sh");
    private static String threadsBits;

    @BeforeAll
    static void computeWithThreads() {
        SlurmCluster.assumeAvailable();
        try (ThreadRunner threads = new ThreadRunner(2)) {
            Double sum = (Double) threads.run(dev.procpool.job.JobRegistry.loadDefault().get("sqrt"), SIZE, TASKS)
                    .value();
            threadsBits = Long.toHexString(Double.doubleToRawLongBits(sum));
        }
    }

    @BeforeEach
    void clusterAnswers() {
        SlurmCluster.assumeAvailable();
    }

    @Test
    void insideSalloc_sameBitsAsThreads_onBothNodes() throws Exception {
        CoordinatorJvm run = start(true, SIZE, TASKS);
        try {
            assertTrue(run.process().waitFor(60, TimeUnit.SECONDS), "the run ends: " + run);
            assertEquals(0, run.process().exitValue(), "exit status: " + run);

            assertEquals(threadsBits, run.value("result"), "same bits as threads: " + run);
            assertEquals(Set.copyOf(SlurmCluster.NODES), run.workerHosts(), "workers on both nodes: " + run);
            String job = run.value("job");
            await().atMost(GONE_WITHIN).until(() -> !SlurmCluster.holds(job));
        } finally {
            run.destroy();
        }
    }

    /**
     * Inside an allocation the coordinator does not end with it: the shell {@code salloc} runs goes on after the
     * coordinator's JVM, as a user's batch script would, so that Slurm ending the job cannot hide steps procpool left.
     */
    @ParameterizedTest(name = "inside salloc: {0}")
    @ValueSource(booleans = {false, true})
    void coordinatorSigkilled_nothingIsLeftWithinFiveSeconds(boolean insideSalloc) throws Exception {
        CoordinatorJvm run = start(insideSalloc ? SALLOC_OUTLIVING_THE_COORDINATOR : List.of(), ENDLESS_SIZE, 64);
        String job = null;
        try {
            await().atMost(Duration.ofSeconds(45))
                    .until(() -> run.workerPids().size() == 4 || !run.process().isAlive());
            job = run.value("job");
            List<ProcessHandle> workers = run.workers();
            assertEquals(4, workers.size(), "four workers alive: " + run);
            // Mid-computation: JVM start-up costs well under a CPU-second per worker; tasks cost more.
            await().atMost(Duration.ofSeconds(30)).until(() -> CoordinatorJvm.cpuMillis(workers) > 2_000);
            ProcessHandle coordinator = run.jvm();
            List<ProcessHandle> everything = new ArrayList<>(workers);
            everything.addAll(SlurmCluster.clientsOf(job));
            everything.add(coordinator);
            if (!insideSalloc) {
                everything.add(run.process().toHandle());
                everything.addAll(run.process().descendants().toList());
            }
            assertTrue(everything.stream().anyMatch(process -> CoordinatorJvm.isCommand(process, "srun")),
                    "srun seen: " + everything);
            assertFalse(SlurmCluster.steps(job).isEmpty(), "the workers are steps of job " + job);

            coordinator.destroyForcibly();

            String allocation = job;
            if (insideSalloc) {
                await().atMost(GONE_WITHIN).until(() -> everything.stream().noneMatch(Processes::running)
                        && SlurmCluster.clientsOf(allocation).isEmpty() && SlurmCluster.steps(allocation).isEmpty());
                assertEquals("RUNNING", SlurmCluster.jobState(job), "the user's allocation goes on: " + run);
            } else {
                await().atMost(GONE_WITHIN).until(() -> everything.stream().noneMatch(Processes::running)
                        && SlurmCluster.clientsOf(allocation).isEmpty() && !SlurmCluster.holds(allocation));
            }
        } finally {
            if (insideSalloc && job != null) {
                SlurmCluster.cancel(job); // the test's own allocation, which would otherwise sleep on
            }
            run.destroy();
        }
    }

    /** A {@link SlurmCoordinator} of 4 workers, under {@code salloc -N2 -n4} or asking for its own allocation. */
    private static CoordinatorJvm start(boolean insideSalloc, long size, int tasks) throws IOException {
        return start(insideSalloc ? List.of("salloc", "--quiet", "-N2", "-n4") : List.of(), size, tasks);
    }

    /**
     * A {@link SlurmCoordinator} of 4 workers behind {@code prefix}: inside the allocation the prefix makes, or, with
     * none, asking for its own.
     */
    private static CoordinatorJvm start(List<String> prefix, long size, int tasks) throws IOException {
        List<String> args = new ArrayList<>(List.of(Long.toString(size), Integer.toString(tasks), "4"));
        if (prefix.isEmpty()) {
            args.add("--ntasks-per-node=2");
        }
        return CoordinatorJvm.start(prefix, SlurmCoordinator.class, args);
    }
}
