package dev.procpool;

import dev.procpool.internal.WorkerClasspath;
import dev.procpool.internal.WorkerJvm;
import dev.procpool.protocol.Protocol;
import dev.procpool.spi.WorkerCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A snapshot of a {@link ProcessPool}'s settings, made by {@link ProcessPoolBuilder}. Immutable.
 *
 * @param workers how many worker JVMs to run
 * @param jvmArgs extra arguments for every worker JVM (after procpool's own flags, so they win)
 * @param workerJar the worker jar; null to locate it (see {@link ProcessPoolBuilder#workerJar})
 * @param classpath extra class path entries for every worker, such as jars of user jobs
 * @param workerClasspath if not empty, the whole worker class path, replacing the jar and {@code classpath}
 * @param tasksInFlightPerWorker how many tasks a worker may hold at once; 0 to adapt to the tasks' duration
 * @param maxFrameBytes the largest message accepted in either direction
 * @param startupTimeout how long all workers together have to become ready
 * @param shutdownTimeout how long workers have to exit after their stdin is closed, before they are killed
 * @param retries how many times a task is run again after the worker computing it died; 0 for never
 * @param taskTimeout how long one task may compute before its worker is killed; null for no limit
 * @param heartbeatTimeout how long a worker may leave a heartbeat unanswered (or its input blocked) before it is
 *     killed as unresponsive
 * @param maxTasksPerWorker tasks after which a worker is replaced by a fresh one; 0 for no limit
 * @param aotCacheDirectory where the workers' AOT cache is kept (made on first use); null for none
 * @param workerOutput where the lines workers write to stderr go
 * @param notices where the pool reports what it did about failures (a crash, a replacement), one line each; called
 *     on the pool's threads, so it should be quick; a notice it throws on goes to stderr instead
 */
public record ProcessPoolConfig(
        int workers,
        List<String> jvmArgs,
        Path workerJar,
        List<Path> classpath,
        List<Path> workerClasspath,
        int tasksInFlightPerWorker,
        int maxFrameBytes,
        Duration startupTimeout,
        Duration shutdownTimeout,
        int retries,
        Duration taskTimeout,
        Duration heartbeatTimeout,
        int maxTasksPerWorker,
        Path aotCacheDirectory,
        WorkerOutput workerOutput,
        Consumer<String> notices) {

    /** More worker JVMs than this on one machine is a mistake, not a plan. */
    public static final int MAX_WORKERS = 256;
    /** A task that has taken down this many workers is the cause, not a victim. */
    public static final int MAX_RETRIES = 100;
    /** The most tasks one worker may hold at once. */
    public static final int MAX_TASKS_IN_FLIGHT_PER_WORKER = 1 << 16;
    /** How long a worker may leave a heartbeat unanswered by default before it counts as lost. */
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(5);
    /** The shortest heartbeat time-out: below it, a busy machine's scheduling delays would kill healthy workers. */
    public static final Duration MIN_HEARTBEAT_TIMEOUT = Duration.ofMillis(100);
    /** The smallest frame limit: a handshake and a small task must fit. */
    public static final int MIN_FRAME_BYTES = 1024;

    public ProcessPoolConfig {
        requireRange("workers", workers, 1, MAX_WORKERS);
        requireRange("tasksInFlightPerWorker", tasksInFlightPerWorker, 0, MAX_TASKS_IN_FLIGHT_PER_WORKER);
        requireRange("maxFrameBytes", maxFrameBytes, MIN_FRAME_BYTES, Protocol.MAX_FRAME_LIMIT);
        requirePositive("startupTimeout", startupTimeout);
        requirePositive("shutdownTimeout", shutdownTimeout);
        requireRange("retries", retries, 0, MAX_RETRIES);
        if (taskTimeout != null) {
            requirePositive("taskTimeout", taskTimeout);
        }
        if (heartbeatTimeout == null || heartbeatTimeout.compareTo(MIN_HEARTBEAT_TIMEOUT) < 0) {
            throw new IllegalArgumentException("heartbeatTimeout must be at least " + MIN_HEARTBEAT_TIMEOUT.toMillis()
                    + " ms, was " + heartbeatTimeout);
        }
        requireRange("maxTasksPerWorker", maxTasksPerWorker, 0, Integer.MAX_VALUE);
        jvmArgs = List.copyOf(jvmArgs);
        classpath = List.copyOf(classpath);
        workerClasspath = List.copyOf(workerClasspath);
        if (workerOutput == null) {
            throw new IllegalArgumentException("workerOutput is null");
        }
        if (notices == null) {
            throw new IllegalArgumentException("notices is null");
        }
        notices = GuardedNotices.of(notices); // users' code, called on the pool's threads mid-work
    }

    /**
     * The command these settings start worker {@code workerId} with on this machine, before any start-up cache: what
     * the local launcher gets, and a way to start the worker's other modes with the same JVM and flags (the
     * benchmark's yardsticks).
     */
    public WorkerCommand workerCommand(int workerId) {
        return WorkerJvm.of(WorkerJvm.currentJava(), jvmArgs, WorkerClasspath.of(this, true), maxFrameBytes)
                .command(workerId);
    }

    private static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
        }
    }
}
