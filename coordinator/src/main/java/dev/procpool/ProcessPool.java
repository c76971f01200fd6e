package dev.procpool;

import dev.procpool.internal.AotCache;
import dev.procpool.internal.FutureCallback;
import dev.procpool.internal.PendingTask;
import dev.procpool.internal.Supervisor;
import dev.procpool.internal.TaskCallback;
import dev.procpool.internal.WorkerCommand;
import dev.procpool.internal.WorkerJarLocator;
import dev.procpool.internal.WorkerLauncher;
import dev.procpool.job.Job;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pool of worker JVMs that compute tasks sent over their stdin and answer over their stdout. Thread-safe.
 *
 * <pre>{@code
 * try (ProcessPool pool = ProcessPool.builder().workers(4).start()) {
 *     JobResult<Double> result = pool.run(new SqrtJob(), 100_000_000, 16);
 * }
 * }</pre>
 *
 * <p>What a worker's failure does to its tasks: a task that throws fails alone with
 * {@link TaskFailedException}; a worker that dies (killed, {@code System.exit}, out of memory, corrupt output) is
 * replaced, and the task it was computing runs again up to {@link ProcessPoolBuilder#retries retries} times
 * before it fails with {@link WorkerCrashedException}, while the tasks queued behind it simply run elsewhere; a
 * task past its {@link ProcessPoolBuilder#taskTimeout time limit} fails with {@link TaskTimeoutException} and
 * its worker is killed. Every future completes exactly once.
 *
 * <p>{@link ProcessPoolBuilder#start()} returns once every worker has completed its handshake. {@link #close()}
 * closes the workers' stdin, waits a bounded time, then kills what is left; a shutdown hook kills workers if
 * the JVM exits without closing the pool, and a worker whose stdin ends (its coordinator died, even by SIGKILL)
 * halts at once, so no worker outlives its coordinator.
 */
public final class ProcessPool implements Runner, BatchSubmitter {

    private final ProcessPoolConfig config;
    private final Supervisor supervisor;
    private final AtomicLong nextTaskId = new AtomicLong();
    private final Thread shutdownHook;
    private Duration startupTime = Duration.ZERO;

    private ProcessPool(ProcessPoolConfig config, WorkerLauncher launcher) {
        this.config = config;
        WorkerCommand command = new WorkerCommand(WorkerCommand.currentJava(), config.jvmArgs(),
                workerClasspath(config), config.maxFrameBytes(), config.jobs().classNames(), null);
        if (config.aotCacheDirectory() != null) {
            command = AotCache.prepare(command, config.aotCacheDirectory(), config.notices())
                    .map(command::withAotCache).orElse(command);
        }
        this.supervisor = new Supervisor(config, command, launcher);
        this.shutdownHook = new Thread(() -> supervisor.abandon("its coordinator is exiting"), "procpool-shutdown-hook");
    }

    /** A builder with the defaults: one worker per available processor. */
    public static ProcessPoolBuilder builder() {
        return new ProcessPoolBuilder();
    }

    /** Starts a pool with these settings; returns once every worker is ready. */
    public static ProcessPool start(ProcessPoolConfig config) {
        return start(config, WorkerLauncher.processBuilder());
    }

    static ProcessPool start(ProcessPoolConfig config, WorkerLauncher launcher) {
        long start = System.nanoTime(); // start-up includes making the AOT cache, the first time
        ProcessPool pool = new ProcessPool(config, launcher);
        Runtime.getRuntime().addShutdownHook(pool.shutdownHook);
        try {
            pool.supervisor.start();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        pool.startupTime = Duration.ofNanos(System.nanoTime() - start);
        return pool;
    }

    /** The worker jar (or the test class path) followed by the user's class path entries. */
    static List<Path> workerClasspath(ProcessPoolConfig config) {
        if (!config.workerClasspath().isEmpty()) {
            return config.workerClasspath();
        }
        List<Path> classpath = new ArrayList<>();
        classpath.add(config.workerJar() != null ? config.workerJar() : WorkerJarLocator.locate());
        classpath.addAll(config.classpath());
        return classpath;
    }

    public ProcessPoolConfig config() {
        return config;
    }

    /** How long the pool took to start: from the first launch until every worker was ready. */
    public Duration startupTime() {
        return startupTime;
    }

    /** The pids of the worker processes alive now (replacements included). */
    public List<Long> workerPids() {
        return supervisor.workerPids();
    }

    @Override
    public Mode mode() {
        return Mode.PROCESSES;
    }

    @Override
    public int workers() {
        return config.workers();
    }

    /**
     * Sends one task to the next worker with room.
     *
     * @throws IllegalArgumentException if the job is not one the workers can find by name
     * @throws PoolClosedException if the pool is closed
     */
    @Override
    @SuppressWarnings("unchecked")
    public <T, R> CompletableFuture<R> submit(Job<T, R> job, T task) {
        CompletableFuture<Object> future = new CompletableFuture<>();
        execute(job, List.of(task), List.of(new FutureCallback(future)));
        return (CompletableFuture<R>) (CompletableFuture<?>) future;
    }

    /**
     * Queues many tasks at once, each settling its own callback: the job driver's path, without a future each.
     *
     * @throws IllegalArgumentException if the job is not one the workers can find by name
     * @throws PoolClosedException if the pool is closed
     */
    @Override
    public <T> void execute(Job<T, ?> job, List<T> tasks, List<? extends TaskCallback> callbacks) {
        checkRegistered(job);
        List<PendingTask> pending = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            pending.add(new PendingTask(nextTaskId.incrementAndGet(), job.name(), tasks.get(i), callbacks.get(i)));
        }
        supervisor.submit(pending);
    }

    private void checkRegistered(Job<?, ?> job) {
        Objects.requireNonNull(job, "job");
        if (!config.jobs().contains(job)) {
            throw new IllegalArgumentException("job '" + job.name() + "' (" + job.getClass().getName() + ") is not "
                    + "registered: workers find jobs by name through META-INF/services/" + Job.class.getName()
                    + " on their class path");
        }
    }

    /**
     * Stops the pool: queued tasks fail with {@link PoolClosedException}, each worker is told to shut down and
     * its stdin closed, workers still running after the shutdown timeout are killed, and tasks they held fail
     * with {@link PoolClosedException}. Idempotent; returns within a few seconds whatever the workers do.
     */
    @Override
    public void close() {
        supervisor.close();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook is running or has run.
        }
    }
}
