package dev.procpool.testing;

import dev.procpool.JobResult;
import dev.procpool.ProcessPool;
import dev.procpool.ProcessPoolBuilder;
import dev.procpool.ThreadRunner;
import dev.procpool.WorkerOutput;
import dev.procpool.internal.WorkerJarLocator;
import dev.procpool.jobs.SqrtJob;
import dev.procpool.spi.WorkerLauncher;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Process pools whose workers run through a launcher to other hosts, for the launchers' tests: the worker jar and the
 * test classes are their class path, as the worker jar and a user's jar would be. Stateless but for a cache of
 * expected results, which is thread-safe.
 */
public final class SshPools {

    private static final Map<List<Long>, Double> THREAD_SUMS = new ConcurrentHashMap<>();

    private SshPools() {
    }

    /** The class path a remote worker needs: the packaged worker jar, and the test jobs' classes. */
    public static List<Path> workerClasspath() {
        try {
            Path testClasses = Path.of(FaultJob.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return List.of(WorkerJarLocator.locate(), testClasses);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the test classes have no file location", e);
        }
    }

    /** A pool of {@code workers} workers through {@code launcher}, its notices to {@code notices}. */
    public static ProcessPoolBuilder builder(WorkerLauncher launcher, int workers, Consumer<String> notices) {
        return ProcessPool.builder()
                .launcher(launcher)
                .workers(workers)
                .workerClasspath(workerClasspath())
                .jvmArgs("-Xmx96m")
                .startupTimeout(Duration.ofSeconds(60))
                .retries(5)
                .workerOutput(WorkerOutput.discard())
                .notices(notices);
    }

    /** The sqrt job's result computed by threads: what every launcher's run must match bit for bit. Cached. */
    public static double threadsSqrt(long size, int tasks) {
        return THREAD_SUMS.computeIfAbsent(List.of(size, (long) tasks), key -> {
            try (ThreadRunner threads = new ThreadRunner(2)) {
                return threads.run(new SqrtJob(), size, tasks).value();
            }
        });
    }

    /**
     * Starts a sqrt run on {@code pool} on a thread of its own; {@code midRun} is released once {@code tasksDone} tasks
     * are done, when a fault can be injected with most of the run still ahead.
     */
    public static CompletableFuture<JobResult<Double>> sqrtInBackground(ProcessPool pool, long size, int tasks,
            int tasksDone, CountDownLatch midRun) {
        CompletableFuture<JobResult<Double>> result = new CompletableFuture<>();
        Thread.ofPlatform().name("test-sqrt-run").daemon().start(() -> {
            try {
                result.complete(pool.run(new SqrtJob(), size, tasks, false, (done, total) -> {
                    if (done >= tasksDone) {
                        midRun.countDown();
                    }
                }));
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }
}
