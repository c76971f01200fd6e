package dev.procpool;

import dev.procpool.internal.AotCache;
import dev.procpool.internal.ClasspathArgFile;
import dev.procpool.internal.PoolEngine;
import dev.procpool.internal.Preflight;
import dev.procpool.internal.SendableCheck;
import dev.procpool.internal.TaskSink;
import dev.procpool.internal.Ticker;
import dev.procpool.internal.WorkerClasspath;
import dev.procpool.internal.WorkerJvm;
import dev.procpool.job.Job;
import dev.procpool.job.Shared;
import dev.procpool.job.TaskFunction;
import dev.procpool.protocol.FunctionJob;
import dev.procpool.spi.WorkerLauncher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

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
public final class ProcessPool extends AbstractRunner {

    private final ProcessPoolConfig config;
    private final PoolEngine engine;
    private final TaskSink sink;
    private final Executor completions;
    private final Thread shutdownHook;
    private Duration startupTime = Duration.ZERO;
    private volatile boolean closed;
    /** The file that gives local workers a class path too long for one argument; null if none was needed. */
    private final Path classpathFile;

    private ProcessPool(ProcessPoolConfig config, WorkerLauncher launcher, Executor completions) {
        this.config = config;
        WorkerJvm jvm = WorkerJvm.of(WorkerJvm.currentJava(), config.jvmArgs(),
                WorkerClasspath.of(config, launcher == WorkerLauncher.local()), config.maxFrameBytes());
        // Local workers only: a launcher elsewhere passes the class path of its copies.
        this.classpathFile = launcher == WorkerLauncher.local() ? ClasspathArgFile.writeIfLong(jvm.classpath()) : null;
        if (classpathFile != null) {
            jvm = jvm.withClasspathFile(classpathFile);
        }
        // Local workers only: a worker elsewhere has another file system, and perhaps another JDK, than the cache's.
        if (config.aotCacheDirectory() != null && launcher == WorkerLauncher.local()) {
            jvm = AotCache.prepare(jvm, config.aotCacheDirectory(), config.notices())
                    .map(jvm::withAotCache).orElse(jvm);
        }
        this.engine = new PoolEngine(config, jvm, launcher, Ticker.system());
        this.sink = engine;
        this.completions = completions == null ? super.completions() : handingOffTo(completions);
        this.shutdownHook = new Thread(() -> {
            try {
                engine.abandon("its coordinator is exiting");
            } finally {
                ClasspathArgFile.delete(classpathFile);
            }
        }, "procpool-shutdown-hook");
    }

    /**
     * The user's completion executor, called from a completion thread of ours rather than from the thread that settled
     * the task: an executor that runs tasks in the caller (a direct one, or a rejection policy that does) then runs
     * users' code there, not on the pool's threads. One that rejects or throws gets the completion done on that thread.
     */
    private Executor handingOffTo(Executor user) {
        Executor ours = super.completions();
        return completion -> ours.execute(() -> {
            try {
                user.execute(completion);
            } catch (RuntimeException e) {
                completion.run();
            }
        });
    }

    /**
     * Checks, before anything runs, that workers with these settings can start, so that a run that cannot work fails
     * at once: the worker jar is one, and the JVM starts with the workers' flags and class path (tried by making the
     * workers' AOT cache, which the pool then uses, or without a cache by one bare start of a worker JVM, about a tenth
     * of a second).
     *
     * @throws WorkerStartException if the worker jar is not one, or the JVM refuses to start: the JVM's own
     *     complaint, then the command on a second line
     */
    public static void check(ProcessPoolConfig config) {
        WorkerJvm jvm = WorkerJvm.of(WorkerJvm.currentJava(), config.jvmArgs(), WorkerClasspath.of(config, true),
                config.maxFrameBytes());
        Path classpathFile = ClasspathArgFile.writeIfLong(jvm.classpath());
        try {
            WorkerJvm checked = classpathFile == null ? jvm : jvm.withClasspathFile(classpathFile);
            Preflight.check(checked, config.aotCacheDirectory(), checked.command(0), config.startupTimeout(),
                    config.notices());
        } finally {
            ClasspathArgFile.delete(classpathFile);
        }
    }

    /**
     * Checks that a process pool would send {@code job} to its workers, as it checks on the job's first use: its class,
     * what it holds, and its declared task and result types must travel. What runs on threads does not travel, so a
     * test on threads can call this to catch what processes would refuse.
     *
     * @throws JobNotSendableException saying what cannot travel and what to do instead
     */
    public static void checkSendable(Job<?, ?> job) {
        Objects.requireNonNull(job, "job");
        SendableCheck.check(job);
    }

    /** Like {@link #checkSendable(Job)}, for a function: its class, its components, its input and output types. */
    public static void checkSendable(TaskFunction<?, ?> function) {
        Objects.requireNonNull(function, "function");
        SendableCheck.check(new FunctionJob<>(function));
    }

    /**
     * Shares {@code value} with the workers, each of which receives it once (see {@link Runner#share}).
     *
     * @throws IllegalArgumentException if the value is null
     * @throws ShareNotSendableException if it cannot travel, saying what in it cannot and what to use instead
     * @throws FrameTooLargeException if it travels inline (anything but a large primitive array for local workers) and
     *     does not fit in a frame: its size, the limit and what to do
     * @throws PoolClosedException if the pool is closed
     */
    @Override
    public <T> Shared<T> share(T value) {
        checkShareable(value);
        return engine.share(value);
    }

    /** A builder with the defaults: one worker per available processor. */
    public static ProcessPoolBuilder builder() {
        return new ProcessPoolBuilder();
    }

    /** Starts a pool with these settings; returns once every worker is ready. */
    public static ProcessPool start(ProcessPoolConfig config) {
        return start(config, WorkerLauncher.local(), null);
    }

    static ProcessPool start(ProcessPoolConfig config, WorkerLauncher launcher, Executor completions) {
        long start = System.nanoTime(); // start-up includes making the AOT cache, the first time
        ProcessPool pool = new ProcessPool(config, launcher, completions);
        Runtime.getRuntime().addShutdownHook(pool.shutdownHook);
        try {
            pool.engine.start();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        pool.startupTime = Duration.ofNanos(System.nanoTime() - start);
        return pool;
    }

    public ProcessPoolConfig config() {
        return config;
    }

    /** How long the pool took to start: from the first launch until every worker was ready. */
    public Duration startupTime() {
        return startupTime;
    }

    /** The pids of the worker processes alive now (replacements included), as their launcher sees them. */
    public List<Long> workerPids() {
        return engine.workerPids();
    }

    /**
     * The pool's workers as they stand: where each runs, what its start cost, and what its process has used, as the
     * workers report it (once a second). The way to measure workers on other machines.
     */
    public List<WorkerInfo> workerInfo() {
        return engine.workerInfo();
    }

    /**
     * The pool's workers that have ended after they started (retired after {@code maxTasksPerWorker} tasks, lost,
     * killed), each as it stood at its end, in the order they ended, the last 1,024 of them: with the live ones, what
     * the pool's workers used. A worker retired by the pool reports what it used as it leaves; one that was lost or
     * killed stands as it last reported (once a second). A snapshot, safe to call from any thread.
     */
    public List<WorkerInfo> endedWorkerInfo() {
        return engine.endedWorkerInfo();
    }

    /**
     * The pool's workers as {@link #workerInfo()} says, after asking each ready worker for a fresh report of what its
     * process has used, and waiting up to {@code wait} for the answers (reports otherwise come once a second): what
     * to read at the end of a run. A worker that does not answer in time stands as it last reported.
     */
    public List<WorkerInfo> workerInfo(Duration wait) {
        try {
            return engine.workerInfo(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return engine.workerInfo();
        }
    }

    @Override
    public Mode mode() {
        return Mode.PROCESSES;
    }

    @Override
    public int workers() {
        return config.workers();
    }

    @Override
    TaskSink sink() {
        return sink;
    }

    /**
     * Where {@link #submit} futures complete: the executor given to {@link ProcessPoolBuilder#completionExecutor},
     * by default a virtual thread per completion. Never a thread of the pool's own.
     */
    @Override
    Executor completions() {
        return completions;
    }

    /**
     * Stops the pool: queued tasks fail with {@link PoolClosedException}, each worker is told to shut down and
     * its stdin closed, workers still running after the shutdown timeout are killed, and tasks they held fail
     * with {@link PoolClosedException}. Idempotent; returns within a few seconds whatever the workers do.
     */
    @Override
    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        try {
            engine.close();
        } finally {
            ClasspathArgFile.delete(classpathFile);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook is running or has run.
        }
    }
}
