package dev.procpool;

import dev.procpool.job.Job;
import java.util.concurrent.CompletableFuture;

/**
 * Something that computes tasks of {@link Job}s: in worker processes ({@link ProcessPool}), on threads
 * ({@link ThreadRunner}), on virtual threads ({@link VirtualThreadRunner}) or on the calling thread
 * ({@link SequentialRunner}). Implementations are thread-safe.
 *
 * <p>{@link #run} is the whole-job path: split, compute, combine, with the result bit-identical across runners.
 * {@link #submit} computes one task.
 */
public interface Runner extends AutoCloseable {

    /** Where this runner computes. */
    Mode mode();

    /** How many tasks it computes at once. */
    int workers();

    /**
     * Computes one task. The future completes with the task's result, or exceptionally with a
     * {@link ProcPoolException}: {@link TaskFailedException} if the task threw, {@link PoolClosedException} if the
     * runner closed first, or (for processes) {@link WorkerCrashedException}.
     *
     * <p>Cancelling the future means stop: a task still queued never runs; a task computing in a worker process is
     * stopped by killing that worker, which is replaced as after a time-out, and the task is not run again. A task
     * already sent to a worker behind the one it computes (short tasks only: a worker holds tasks of 20 ms or more
     * one at a time) runs there, and its result is dropped. On threads a running task cannot be stopped: it runs to
     * its end and its result is dropped.
     *
     * @throws PoolClosedException if the runner is closed
     */
    <T, R> CompletableFuture<R> submit(Job<T, R> job, T task);

    /**
     * Splits {@code job} at {@code size} into about {@code tasks} tasks, computes them all, and combines the
     * results in task order. Stops at the first failed task and withdraws the rest.
     *
     * @throws JobFailedException if a task failed; it carries every failure
     */
    <T, R> JobResult<R> run(Job<T, R> job, long size, int tasks);

    /**
     * Like {@link #run(Job, long, int)}, but with {@code keepGoing} a failed task does not stop the others: all
     * tasks run, and the exception lists every failure.
     */
    <T, R> JobResult<R> run(Job<T, R> job, long size, int tasks, boolean keepGoing);

    /**
     * Like {@link #run(Job, long, int, boolean)}, telling {@code progress} each time more tasks are done. The job's
     * {@code combine} and the listener are called on the thread that called this method, never on a thread of the
     * runner's.
     */
    <T, R> JobResult<R> run(Job<T, R> job, long size, int tasks, boolean keepGoing, ProgressListener progress);

    /** Stops computing; pending tasks fail with {@link PoolClosedException}. Idempotent. */
    @Override
    void close();
}
