package dev.procpool;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.spi.SlurmLauncher;
import dev.procpool.testing.FaultJob;
import dev.procpool.testing.FaultJob.Fault;
import dev.procpool.testing.FaultJob.Kind;
import dev.procpool.testing.SlurmCluster;
import dev.procpool.testing.TestPools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers the pool kills on a real Slurm cluster (see {@link SlurmCluster}), in an allocation of exactly as many tasks
 * as workers, so that a replacement can start only on the CPU its predecessor's step held: a task past its time limit,
 * and a worker stopped with SIGSTOP, which its heartbeats catch. The killed workers' steps end, replacements start, and
 * the other tasks complete.
 */
@Timeout(120)
class SlurmKilledWorkerIT {

    private static final FaultJob FAULT = new FaultJob();
    private static final int WORKERS = 2;
    /** Far below the 60 s a replacement may take to start in these pools: a replacement left waiting fails this. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ConcurrentLinkedQueue<String> notices = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void clusterAnswers() {
        SlurmCluster.assumeAvailable();
    }

    @Test
    void tasksPastTheirTimeLimit_onEveryWorker_replacementsStart_andTheOtherTasksComplete() throws Exception {
        try (SlurmLauncher launcher = launcher();
                ProcessPool pool = TestPools.builder(WORKERS).launcher(launcher).notices(notices::add)
                        .taskTimeout(Duration.ofSeconds(2)).start()) {
            List<CompletableFuture<Long>> hung = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                hung.add(pool.submit(FAULT, Fault.of(Kind.HANG, 600_000, i)));
            }
            List<CompletableFuture<Long>> others = submitOthers(pool);

            for (CompletableFuture<Long> task : hung) {
                ExecutionException failed = assertThrows(ExecutionException.class,
                        () -> task.get(WAIT.toSeconds(), TimeUnit.SECONDS));
                assertInstanceOf(TaskTimeoutException.class, failed.getCause());
            }
            assertCompleted(others);
            assertOnlyLiveStepsLeft(pool, launcher.jobId());
        }
    }

    @Test
    void workersStopped_heartbeatsCatchThem_replacementsStart_andEveryTaskCompletes(@TempDir Path markers)
            throws Exception {
        try (SlurmLauncher launcher = launcher();
                ProcessPool pool = TestPools.builder(WORKERS).launcher(launcher).notices(notices::add)
                        .heartbeatTimeout(Duration.ofSeconds(2)).start()) {
            List<CompletableFuture<Long>> stopping = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                // Stops its worker the first time only: its retry on a replacement returns the value.
                stopping.add(pool.submit(FAULT, Fault.once(Kind.SELF_STOP, 0, 100 + i, markers.resolve("stop" + i))));
            }
            List<CompletableFuture<Long>> others = submitOthers(pool);

            for (int i = 0; i < WORKERS; i++) {
                assertEquals(100L + i, stopping.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS), "retried: " + notices);
            }
            assertCompleted(others);
            assertTrue(notices.stream().anyMatch(notice -> notice.contains("stopped responding")), notices.toString());
            assertOnlyLiveStepsLeft(pool, launcher.jobId());
        }
    }

    private SlurmLauncher launcher() {
        // No SLURM_JOB_ID: the launcher asks for an allocation of WORKERS tasks, one CPU each, whatever this JVM runs in.
        return new SlurmLauncher(WORKERS, List.of(), Map.of(), notices::add);
    }

    /** Tasks submitted behind the misbehaving ones: they can only run once their workers are replaced. */
    private static List<CompletableFuture<Long>> submitOthers(ProcessPool pool) {
        List<CompletableFuture<Long>> others = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            others.add(pool.submit(FAULT, Fault.ok(10 + i)));
        }
        return others;
    }

    private void assertCompleted(List<CompletableFuture<Long>> others) throws Exception {
        for (int i = 0; i < others.size(); i++) {
            assertEquals(10L + i, others.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS), "notices: " + notices);
        }
    }

    /** Slurm runs one step per live worker: none of the killed workers' steps is left. */
    private void assertOnlyLiveStepsLeft(ProcessPool pool, String job) {
        await().atMost(WAIT).untilAsserted(() -> {
            List<WorkerInfo> workers = pool.workerInfo();
            List<String> steps = SlurmCluster.steps(job);
            assertTrue(workers.size() == WORKERS && steps.size() == WORKERS,
                    "steps " + steps + " for workers " + workers + "; notices: " + notices);
        });
    }
}
