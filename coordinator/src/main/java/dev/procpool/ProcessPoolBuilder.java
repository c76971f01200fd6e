package dev.procpool;

import dev.procpool.internal.AotCache;
import dev.procpool.protocol.Protocol;
import dev.procpool.spi.WorkerLauncher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Configures and starts a {@link ProcessPool}. Not thread-safe; {@link #build()} hands out an immutable
 * snapshot, so a builder can be reused.
 */
public final class ProcessPoolBuilder {

    private int workers = Runtime.getRuntime().availableProcessors();
    private final List<String> jvmArgs = new ArrayList<>();
    private Path workerJar;
    private final List<Path> classpath = new ArrayList<>();
    private List<Path> workerClasspath = List.of();
    private int tasksInFlightPerWorker;
    private int maxFrameBytes = Protocol.DEFAULT_MAX_FRAME_BYTES;
    private Duration startupTimeout = Duration.ofSeconds(30);
    private Duration shutdownTimeout = Duration.ofSeconds(2);
    private int retries = 2;
    private Duration taskTimeout;
    private Duration heartbeatTimeout = ProcessPoolConfig.DEFAULT_HEARTBEAT_TIMEOUT;
    private int maxTasksPerWorker;
    private Path aotCacheDirectory = AotCache.defaultDirectory();
    private WorkerOutput workerOutput = WorkerOutput.stderr();
    private Consumer<String> notices = GuardedNotices.STDERR;
    private WorkerLauncher launcher = WorkerLauncher.local();
    private Executor completionExecutor;

    ProcessPoolBuilder() {
    }

    /** How many worker JVMs to run; default: the number of available processors. */
    public ProcessPoolBuilder workers(int workers) {
        this.workers = workers;
        return this;
    }

    /** Adds arguments for every worker JVM, such as {@code -Xmx512m}. */
    public ProcessPoolBuilder jvmArgs(String... args) {
        jvmArgs.addAll(List.of(args));
        return this;
    }

    /** Adds arguments for every worker JVM. */
    public ProcessPoolBuilder jvmArgs(List<String> args) {
        jvmArgs.addAll(args);
        return this;
    }

    /**
     * Starts workers from this worker jar ({@code procpool-worker.jar}, the executable one), followed by the
     * {@link #classpath} entries. By default, workers on this machine start from this program's own class path, which
     * holds the worker (through the dependency on procpool) and the program's jobs with their dependencies; the
     * {@code procpool.worker.jar} system property or the {@code PROCPOOL_WORKER_JAR} environment variable set a jar
     * instead. Workers on other machines start from the worker jar, found next to procpool's jar unless given.
     */
    public ProcessPoolBuilder workerJar(Path jar) {
        this.workerJar = jar;
        return this;
    }

    /**
     * Adds class path entries (such as jars holding your jobs and functions and what they use, when this program's
     * class path does not hold them) for the workers, after their own. This JVM must see the same classes: load them
     * through {@link UserClasspath#loader} on the same entries, or have them on this JVM's class path.
     */
    public ProcessPoolBuilder classpath(List<Path> entries) {
        classpath.addAll(entries);
        return this;
    }

    /** Replaces the whole worker class path (the worker jar and {@link #classpath}); meant for tests. */
    public ProcessPoolBuilder workerClasspath(List<Path> entries) {
        this.workerClasspath = List.copyOf(entries);
        return this;
    }

    /**
     * How many tasks a worker may hold at once. Default 0: adapt to the tasks, one at a time for long tasks (best
     * balance), a millisecond's worth in one batch for tiny ones (best throughput); more over a launcher whose link
     * carries small messages (see {@link WorkerLauncher#batchFrameBytes()}).
     */
    public ProcessPoolBuilder tasksInFlightPerWorker(int tasks) {
        this.tasksInFlightPerWorker = tasks;
        return this;
    }

    /** The largest message in either direction; default 16 MiB. */
    public ProcessPoolBuilder maxFrameBytes(int bytes) {
        this.maxFrameBytes = bytes;
        return this;
    }

    /** How long a worker has to become ready (all of them together, at start); default 30 s. */
    public ProcessPoolBuilder startupTimeout(Duration timeout) {
        this.startupTimeout = timeout;
        return this;
    }

    /** How long workers have to exit once told to, before they are killed; default 2 s. */
    public ProcessPoolBuilder shutdownTimeout(Duration timeout) {
        this.shutdownTimeout = timeout;
        return this;
    }

    /**
     * How many times a task runs again after the worker computing it died; default 2. Tasks that were only
     * queued on that worker run again without counting.
     */
    public ProcessPoolBuilder retries(int retries) {
        this.retries = retries;
        return this;
    }

    /** How long one task may compute before its worker is killed and the task fails; default: no limit. */
    public ProcessPoolBuilder taskTimeout(Duration limit) {
        this.taskTimeout = limit;
        return this;
    }

    /**
     * How long a worker may leave a heartbeat unanswered, or keep its input blocked, before it counts as lost: it is
     * killed, and the task it was computing runs again within the retries. Workers answer from a thread of their
     * own, so a long task never looks dead; a stopped or frozen worker, or a link gone half-open, does. Default 5 s.
     */
    public ProcessPoolBuilder heartbeatTimeout(Duration timeout) {
        this.heartbeatTimeout = timeout;
        return this;
    }

    /** Replaces a worker with a fresh JVM after it has been given this many tasks; default 0, never. */
    public ProcessPoolBuilder maxTasksPerWorker(int tasks) {
        this.maxTasksPerWorker = tasks;
        return this;
    }

    /**
     * Where the workers' AOT cache is kept: made once per worker jar, JVM and set of JVM arguments (a training run
     * of about two seconds), it saves every later worker tens of milliseconds of start-up; the directory keeps the
     * eight most recently used, about 15 MB each. Default {@code $XDG_CACHE_HOME/procpool} or
     * {@code ~/.cache/procpool}; null to start workers without one.
     */
    public ProcessPoolBuilder aotCacheDirectory(Path directory) {
        this.aotCacheDirectory = directory;
        return this;
    }

    /** Where workers' stderr lines go; default this JVM's stderr, each line prefixed {@code [worker N]}. */
    public ProcessPoolBuilder workerOutput(WorkerOutput output) {
        this.workerOutput = Objects.requireNonNull(output, "output");
        return this;
    }

    /** Where the pool says what it did about a failure (one line each); default this JVM's stderr. */
    public ProcessPoolBuilder notices(Consumer<String> notices) {
        this.notices = Objects.requireNonNull(notices, "notices");
        return this;
    }

    /**
     * How and where worker processes start; default {@link WorkerLauncher#local()}, child processes of this JVM.
     * The pool does not close it: whoever made it closes it, after every pool that uses it (several may, one after
     * another).
     */
    public ProcessPoolBuilder launcher(WorkerLauncher launcher) {
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        return this;
    }

    /**
     * Where the futures that {@link ProcessPool#submit} returns complete, and so where the stages chained to them
     * run ({@code thenApply}, {@code whenComplete}, ...). Default null: a new virtual thread per completion. Never
     * one of the pool's own threads, so chained code may block, even on another task of the same pool.
     */
    public ProcessPoolBuilder completionExecutor(Executor executor) {
        this.completionExecutor = executor;
        return this;
    }

    /**
     * A snapshot of the settings so far.
     *
     * @throws IllegalArgumentException naming the first setting out of range
     */
    public ProcessPoolConfig build() {
        return new ProcessPoolConfig(workers, jvmArgs, workerJar, classpath, workerClasspath, tasksInFlightPerWorker,
                maxFrameBytes, startupTimeout, shutdownTimeout, retries, taskTimeout, heartbeatTimeout, maxTasksPerWorker,
                aotCacheDirectory, workerOutput, notices);
    }

    /**
     * Checks these settings before anything runs: see {@link ProcessPool#check(ProcessPoolConfig)}.
     *
     * @throws WorkerStartException if the worker jar is not one, or the JVM refuses to start
     */
    public ProcessPoolConfig check() {
        ProcessPoolConfig config = build();
        ProcessPool.check(config);
        return config;
    }

    /**
     * Starts the workers and returns once all are ready.
     *
     * @throws WorkerStartException if a worker cannot start; the others are stopped
     */
    public ProcessPool start() {
        return ProcessPool.start(build(), launcher, completionExecutor);
    }
}
