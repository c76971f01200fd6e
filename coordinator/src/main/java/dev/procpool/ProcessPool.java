package dev.procpool;

import dev.procpool.internal.Dispatcher;
import dev.procpool.internal.PendingTask;
import dev.procpool.internal.WorkerCommand;
import dev.procpool.internal.WorkerEnd;
import dev.procpool.internal.WorkerEvents;
import dev.procpool.internal.WorkerJarLocator;
import dev.procpool.internal.WorkerLauncher;
import dev.procpool.internal.WorkerProcess;
import dev.procpool.job.Job;
import dev.procpool.job.JobRegistry;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.Protocol;
import dev.procpool.protocol.Shutdown;
import dev.procpool.protocol.TaskFailure;
import dev.procpool.protocol.TaskResult;
import dev.procpool.protocol.WireFormat;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A pool of worker JVMs that compute tasks sent over their stdin and answer over their stdout. Thread-safe.
 *
 * <pre>{@code
 * try (ProcessPool pool = ProcessPool.builder().workers(4).start()) {
 *     JobResult<Double> result = pool.run(new SqrtJob(), 100_000_000, 16);
 * }
 * }</pre>
 *
 * <p>{@link Builder#start()} returns once every worker has completed its handshake. {@link #close()} closes the
 * workers' stdin, waits a bounded time, then kills what is left; a shutdown hook kills workers if the JVM exits
 * without closing the pool, and a worker whose stdin ends (its coordinator died, even by SIGKILL) halts at once,
 * so no worker outlives its coordinator.
 */
public final class ProcessPool implements Runner {

    private static final long DISPATCHER_STOP_MILLIS = 1_000;
    private static final long REPORT_WAIT_MILLIS = 3_000;

    private final ProcessPoolConfig config;
    private final WireFormat format;
    private final WorkerCommand command;
    private final WorkerLauncher launcher;
    private final Dispatcher dispatcher;
    private final AtomicLong nextTaskId = new AtomicLong();
    private final AtomicInteger nextWorkerId = new AtomicInteger(1);
    /** Every worker started, alive or not, for closing; the dispatcher tracks which can take tasks. */
    private final List<WorkerProcess> workers = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;
    private final Events events = new Events();

    private final ReentrantLock startupLock = new ReentrantLock();
    private final Condition startupChanged = startupLock.newCondition();
    private int readyCount;
    private WorkerStartException startupFailure;
    private Duration startupTime = Duration.ZERO;

    private ProcessPool(ProcessPoolConfig config, WorkerLauncher launcher) {
        this.config = config;
        this.launcher = launcher;
        this.format = WireFormat.of(config.jobs());
        this.command = new WorkerCommand(WorkerCommand.currentJava(), config.jvmArgs(), workerClasspath(config),
                config.maxFrameBytes());
        this.dispatcher = new Dispatcher(config.tasksInFlightPerWorker());
        this.shutdownHook = new Thread(this::killAll, "procpool-shutdown-hook");
    }

    /** A builder with the defaults: one worker per available processor. */
    public static Builder builder() {
        return new Builder();
    }

    private static List<Path> workerClasspath(ProcessPoolConfig config) {
        if (!config.workerClasspath().isEmpty()) {
            return config.workerClasspath();
        }
        List<Path> classpath = new ArrayList<>();
        classpath.add(config.workerJar() != null ? config.workerJar() : WorkerJarLocator.locate());
        classpath.addAll(config.classpath());
        return classpath;
    }

    private void startWorkers() {
        long start = System.nanoTime();
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        dispatcher.start();
        // Launch every JVM before waiting for any: they start in parallel.
        for (int i = 0; i < config.workers(); i++) {
            launchWorker();
        }
        awaitStartup(start + config.startupTimeout().toNanos());
        startupTime = Duration.ofNanos(System.nanoTime() - start);
    }

    private void launchWorker() {
        int id = nextWorkerId.getAndIncrement();
        try {
            workers.add(WorkerProcess.start(id, command, launcher, format, config.workerOutput(), events));
        } catch (IOException e) {
            throw new WorkerStartException("cannot launch worker " + id + " with " + command.java() + ": "
                    + e.getMessage(), e);
        }
    }

    private void awaitStartup(long deadline) {
        startupLock.lock();
        try {
            while (readyCount < config.workers() && startupFailure == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new WorkerStartException(readyCount + " of " + config.workers() + " workers were ready after "
                            + config.startupTimeout().toMillis() + " ms (the start-up timeout); the machine may be "
                            + "overloaded: try fewer workers");
                }
                startupChanged.awaitNanos(left);
            }
            if (startupFailure != null) {
                throw startupFailure;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkerStartException("interrupted while workers were starting");
        } finally {
            startupLock.unlock();
        }
    }

    public ProcessPoolConfig config() {
        return config;
    }

    /** How long the pool took to start: from the first launch until every worker was ready. */
    public Duration startupTime() {
        return startupTime;
    }

    /** The pids of the worker processes currently alive. */
    public List<Long> workerPids() {
        List<Long> pids = new ArrayList<>();
        for (WorkerProcess worker : workers) {
            if (worker.isAlive()) {
                pids.add(worker.pid());
            }
        }
        return pids;
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
     */
    @Override
    @SuppressWarnings("unchecked")
    public <T, R> CompletableFuture<R> submit(Job<T, R> job, T task) {
        Objects.requireNonNull(job, "job");
        if (!config.jobs().contains(job)) {
            throw new IllegalArgumentException("job '" + job.name() + "' (" + job.getClass().getName() + ") is not "
                    + "registered: workers find jobs by name through META-INF/services/" + Job.class.getName()
                    + " on their class path");
        }
        CompletableFuture<Object> future = new CompletableFuture<>();
        PendingTask pending = new PendingTask(nextTaskId.incrementAndGet(), job.name(), task, future);
        if (closed.get() || !dispatcher.submit(pending)) {
            throw new PoolClosedException("the process pool is closed");
        }
        if (dispatcher.readyWorkers() == 0) {
            failQueueIfNoWorkers();
        }
        return (CompletableFuture<R>) (CompletableFuture<?>) future;
    }

    /**
     * Stops the pool: queued tasks fail with {@link PoolClosedException}, each worker is told to shut down and
     * its stdin closed, workers still running after the shutdown timeout are killed, and tasks they held fail
     * with {@link PoolClosedException}. Idempotent; returns within a few seconds whatever the workers do.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            boolean dispatcherStopped = dispatcher.stop(DISPATCHER_STOP_MILLIS);
            failAll(dispatcher.drainQueue(), new PoolClosedException("the process pool closed before the task was sent"));
            for (WorkerProcess worker : workers) {
                if (dispatcherStopped) {
                    sayShutdown(worker);
                }
                worker.closeInput();
            }
            long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
            for (WorkerProcess worker : workers) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (!worker.awaitExit(Math.max(left, 1))) {
                    worker.kill("did not exit within " + config.shutdownTimeout().toMillis() + " ms of shutdown");
                }
            }
            for (WorkerProcess worker : workers) {
                worker.awaitReported(REPORT_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killAll();
        } finally {
            removeShutdownHook();
        }
    }

    private static void sayShutdown(WorkerProcess worker) {
        try {
            worker.send(Shutdown.INSTANCE);
            worker.flush();
        } catch (IOException | dev.procpool.protocol.EncodingException e) {
            // It is going anyway: closing its stdin below ends it too.
        }
    }

    private void killAll() {
        for (WorkerProcess worker : workers) {
            worker.kill("its coordinator is exiting");
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook is running or has run.
        }
    }

    private void failQueueIfNoWorkers() {
        if (dispatcher.readyWorkers() > 0 || workers.stream().anyMatch(WorkerProcess::isAlive)) {
            return;
        }
        failAll(dispatcher.drainQueue(), new WorkerCrashedException("every worker of the pool has ended; "
                + "start a new pool", 0, -1, java.util.OptionalInt.empty(), List.of()));
    }

    private static void failAll(List<PendingTask> tasks, RuntimeException error) {
        for (PendingTask task : tasks) {
            task.fail(error);
        }
    }

    private WorkerCrashedException crashed(WorkerProcess worker, WorkerEnd end, PendingTask task) {
        StringBuilder message = new StringBuilder()
                .append(worker.describe()).append(' ').append(end.reason())
                .append(" while it held task ").append(task.describe()).append(" of job ").append(task.job());
        appendTail(message, end.stderrTail());
        return new WorkerCrashedException(message.toString(), worker.id(), worker.pid(), end.exitStatus(),
                end.stderrTail());
    }

    private static void appendTail(StringBuilder message, List<String> tail) {
        if (tail.isEmpty()) {
            message.append("; it wrote nothing to stderr");
        } else {
            message.append("; its last stderr lines:");
            for (String line : tail) {
                message.append("\n    ").append(line);
            }
        }
    }

    /** The reports of every worker, from their reader threads. */
    private final class Events implements WorkerEvents {

        @Override
        public void ready(WorkerProcess worker) {
            dispatcher.workerReady(worker);
            startupLock.lock();
            try {
                readyCount++;
                startupChanged.signalAll();
            } finally {
                startupLock.unlock();
            }
        }

        @Override
        public void message(WorkerProcess worker, Message message) {
            if (message instanceof TaskResult result) {
                PendingTask task = dispatcher.finished(worker, result.taskId());
                if (task == null) {
                    worker.kill("answered task " + result.taskId() + ", which it did not hold");
                } else {
                    task.complete(result.value());
                }
            } else if (message instanceof TaskFailure failure) {
                PendingTask task = dispatcher.finished(worker, failure.taskId());
                if (task == null) {
                    worker.kill("reported a failure of task " + failure.taskId() + ", which it did not hold");
                } else {
                    task.fail(new TaskFailedException(task.job(), task.describe(), worker.describe(),
                            RemoteException.of(failure.error())));
                }
            } else {
                worker.kill("sent a " + message.getClass().getSimpleName() + ", which only a coordinator sends");
            }
        }

        @Override
        public void ended(WorkerProcess worker, WorkerEnd end) {
            List<PendingTask> held = dispatcher.workerEnded(worker);
            if (closed.get()) {
                failAll(held, new PoolClosedException("the process pool closed while " + worker.describe()
                        + " held the task"));
                return;
            }
            if (!end.wasReady()) {
                recordStartupFailure(worker, end);
            }
            for (PendingTask task : held) {
                task.fail(crashed(worker, end, task));
            }
            failQueueIfNoWorkers();
        }

        private void recordStartupFailure(WorkerProcess worker, WorkerEnd end) {
            StringBuilder message = new StringBuilder().append(worker.describe()).append(" could not start: it ")
                    .append(end.reason());
            appendTail(message, end.stderrTail());
            message.append("\n  command: ").append(String.join(" ", command.toList(worker.id())));
            startupLock.lock();
            try {
                if (startupFailure == null) {
                    startupFailure = new WorkerStartException(message.toString());
                }
                startupChanged.signalAll();
            } finally {
                startupLock.unlock();
            }
        }
    }

    /**
     * Configures and starts a {@link ProcessPool}. Not thread-safe; {@link #build()} hands out an immutable
     * snapshot, so a builder can be reused.
     */
    public static final class Builder {

        private int workers = Runtime.getRuntime().availableProcessors();
        private final List<String> jvmArgs = new ArrayList<>();
        private Path workerJar;
        private final List<Path> classpath = new ArrayList<>();
        private List<Path> workerClasspath = List.of();
        private int tasksInFlightPerWorker = 2;
        private int maxFrameBytes = Protocol.DEFAULT_MAX_FRAME_BYTES;
        private Duration startupTimeout = Duration.ofSeconds(30);
        private Duration shutdownTimeout = Duration.ofSeconds(2);
        private WorkerOutput workerOutput = WorkerOutput.stderr();
        private JobRegistry jobs;
        private WorkerLauncher launcher = WorkerLauncher.processBuilder();

        private Builder() {
        }

        /** How many worker JVMs to run; default: the number of available processors. */
        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        /** Adds arguments for every worker JVM, such as {@code -Xmx512m}. */
        public Builder jvmArgs(String... args) {
            jvmArgs.addAll(List.of(args));
            return this;
        }

        /** Adds arguments for every worker JVM. */
        public Builder jvmArgs(List<String> args) {
            jvmArgs.addAll(args);
            return this;
        }

        /**
         * The worker jar. By default it is found through the {@code procpool.worker.jar} system property, the
         * {@code PROCPOOL_WORKER_JAR} environment variable, next to the coordinator's jar, or in the build tree.
         */
        public Builder workerJar(Path jar) {
            this.workerJar = jar;
            return this;
        }

        /** Adds class path entries (such as jars holding user jobs) for the workers and for job lookup here. */
        public Builder classpath(List<Path> entries) {
            classpath.addAll(entries);
            return this;
        }

        /** Replaces the whole worker class path (the worker jar and {@link #classpath}); meant for tests. */
        public Builder workerClasspath(List<Path> entries) {
            this.workerClasspath = List.copyOf(entries);
            return this;
        }

        /** How many tasks a worker may hold at once; default 2 (one computing, one ready to start). */
        public Builder tasksInFlightPerWorker(int tasks) {
            this.tasksInFlightPerWorker = tasks;
            return this;
        }

        /** The largest message in either direction; default 16 MiB. */
        public Builder maxFrameBytes(int bytes) {
            this.maxFrameBytes = bytes;
            return this;
        }

        /** How long all workers together have to become ready; default 30 s. */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = timeout;
            return this;
        }

        /** How long workers have to exit once told to, before they are killed; default 2 s. */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = timeout;
            return this;
        }

        /** Where workers' stderr lines go; default this JVM's stderr, each line prefixed {@code [worker N]}. */
        public Builder workerOutput(WorkerOutput output) {
            this.workerOutput = Objects.requireNonNull(output, "output");
            return this;
        }

        /** The jobs the pool accepts; default those found on this class path plus {@link #classpath}. */
        public Builder jobs(JobRegistry jobs) {
            this.jobs = jobs;
            return this;
        }

        /** How worker processes are launched; a seam for tests. */
        public Builder launcher(WorkerLauncher launcher) {
            this.launcher = Objects.requireNonNull(launcher, "launcher");
            return this;
        }

        /** A snapshot of the settings so far. */
        public ProcessPoolConfig build() {
            JobRegistry registry = jobs != null ? jobs : loadJobs(classpath);
            return new ProcessPoolConfig(workers, jvmArgs, workerJar, classpath, workerClasspath,
                    tasksInFlightPerWorker, maxFrameBytes, startupTimeout, shutdownTimeout, workerOutput, registry);
        }

        /**
         * Starts the workers and returns once all are ready.
         *
         * @throws WorkerStartException if a worker cannot start; the others are stopped
         */
        public ProcessPool start() {
            return ProcessPool.start(build(), launcher);
        }

        private static JobRegistry loadJobs(List<Path> classpath) {
            if (classpath.isEmpty()) {
                return JobRegistry.loadDefault();
            }
            URL[] urls = new URL[classpath.size()];
            for (int i = 0; i < urls.length; i++) {
                try {
                    urls[i] = classpath.get(i).toUri().toURL();
                } catch (MalformedURLException e) {
                    throw new IllegalArgumentException("class path entry " + classpath.get(i) + " is not a valid path", e);
                }
            }
            // Left open on purpose: job classes from these jars are used for as long as this JVM runs.
            return JobRegistry.load(new URLClassLoader(urls, ProcessPool.class.getClassLoader()));
        }
    }

    /** Starts a pool with these settings; returns once every worker is ready. */
    public static ProcessPool start(ProcessPoolConfig config) {
        return start(config, WorkerLauncher.processBuilder());
    }

    private static ProcessPool start(ProcessPoolConfig config, WorkerLauncher launcher) {
        ProcessPool pool = new ProcessPool(config, launcher);
        try {
            pool.startWorkers();
            return pool;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }
}
