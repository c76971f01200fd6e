package dev.procpool;

import dev.procpool.job.Job;
import dev.procpool.job.Shared;
import dev.procpool.job.TaskFunction;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Something that computes tasks of {@link Job}s and applies {@link TaskFunction}s: in worker processes
 * ({@link ProcessPool}), on threads ({@link ThreadRunner}), on virtual threads ({@link VirtualThreadRunner}) or on the
 * calling thread ({@link SequentialRunner}). Implementations are thread-safe.
 *
 * <p>{@link #map} applies a function to many inputs and returns the outputs in input order; {@link #mapAsCompleted}
 * hands them out as they complete; {@link #submit(TaskFunction, Object)} and {@link #submitAll} return futures.
 * {@link #run} is the whole-job path: split, compute, combine, with the result bit-identical across runners.
 * {@link #submit(Job, Object)} computes one task of a job.
 *
 * <p>A process pool sends a job or function to its workers as a value, and refuses, on its first use and before
 * anything is sent, one that cannot travel (a lambda, a class with fields, a collection among its declared types).
 * The other runners run whatever they are given; {@link ProcessPool#checkSendable(TaskFunction)} asks a process
 * pool's question without one.
 */
public interface Runner extends AutoCloseable {

    /** Where this runner computes. */
    Mode mode();

    /** How many tasks it computes at once. */
    int workers();

    /**
     * Computes one task. The future completes with the task's result, or exceptionally with a
     * {@link ProcPoolException}: {@link TaskFailedException} if the task threw (the same exception, with the same
     * cause, a {@link RemoteException}, on every runner), {@link PoolClosedException} if the runner closed first or
     * was closed already, or (for processes) {@link WorkerCrashedException} or {@link TaskTimeoutException}.
     *
     * <p>Cancelling the future means stop: a task still queued never runs; a task computing in a worker process is
     * stopped by killing that worker, which is replaced as after a time-out, and the task is not run again. A task
     * already sent to a worker behind the one it computes (short tasks only: a worker holds tasks of 20 ms or more
     * one at a time) runs there, and its result is dropped. On threads a running task cannot be stopped: it runs to
     * its end and its result is dropped.
     *
     * @throws JobNotSendableException if the job cannot travel to worker processes (process pools only), or holds
     *     a shared value that was closed (every runner)
     */
    <T, R> CompletableFuture<R> submit(Job<T, R> job, T task);

    /**
     * Applies {@code function} to {@code input}. The future completes with the output, or exceptionally as
     * {@link #submit(Job, Object)}'s does.
     *
     * @throws JobNotSendableException if the function cannot travel to worker processes (process pools only), or holds
     *     a shared value that was closed (every runner)
     */
    <I, O> CompletableFuture<O> submit(TaskFunction<I, O> function, I input);

    /**
     * Applies {@code function} to {@code input}, for at most {@code limit}: past it, the future fails with
     * {@link TaskTimeoutException}. In a worker process the task is stopped there and then: its worker is killed and
     * replaced (as for the pool's {@code taskTimeout}, which this replaces for this task). A thread cannot be killed: on
     * threads and virtual threads the future fails at the limit and the thread is interrupted, but the task runs on
     * until it returns (and its result is dropped), holding its thread; on the calling thread (the sequential runner)
     * it runs to its end, and then its future fails. {@link TaskTimeoutException#stopped()} says which.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     * @throws JobNotSendableException if the function cannot travel to worker processes (process pools only), or holds
     *     a shared value that was closed (every runner)
     */
    <I, O> CompletableFuture<O> submit(TaskFunction<I, O> function, I input, Duration limit);

    /**
     * Applies {@code function} to every input; the futures come in input order.
     *
     * @throws JobNotSendableException if the function cannot travel to worker processes (process pools only), or holds
     *     a shared value that was closed (every runner)
     */
    <I, O> List<CompletableFuture<O>> submitAll(TaskFunction<I, O> function, Iterable<? extends I> inputs);

    /**
     * Applies {@code function} to every input and returns the outputs in input order (a null output too), like
     * Python's {@code ProcessPoolExecutor.map}. At most a window of inputs is submitted ahead of the outputs taken.
     *
     * @throws ProcPoolException what the first input to fail failed with (a {@link TaskFailedException} if the
     *     function threw; {@link WorkerCrashedException}, {@link TaskTimeoutException} and the others as for
     *     {@link #submit(Job, Object)}); the inputs not started by then are dropped
     */
    <I, O> List<O> map(TaskFunction<I, O> function, Iterable<? extends I> inputs);

    /**
     * Applies {@code function} to every input and hands out each output as it completes, with the input it came from.
     * As {@link #map}, at most a window of inputs is submitted ahead of the outputs taken, so memory stays bounded
     * however many inputs there are; the sequential runner computes each input as its output is asked for. Close the
     * stream (try-with-resources) if you stop before its end: the inputs not started then are dropped, and the shared
     * values the function holds are let go of once closed (see {@link Shared#close()}); a stream stopped short without
     * being closed ({@code findFirst}, {@code limit}, {@code anyMatch}) keeps them, and their files, until the runner
     * closes.
     *
     * <pre>{@code
     * try (Stream<Completed<Long, Long>> outputs = pool.mapAsCompleted(fn, inputs)) {
     *     outputs.forEach(done -> System.out.println(done.input() + " -> " + done.output()));
     * }
     * }</pre>
     *
     * @throws ProcPoolException from the stream, when the next output to complete is a failure: what its input failed
     *     with; the inputs not started by then are dropped
     * @throws PoolClosedException if the runner is closed
     * @throws JobNotSendableException if the function cannot travel to worker processes (process pools only), or holds
     *     a shared value that was closed (every runner)
     */
    <I, O> Stream<Completed<I, O>> mapAsCompleted(TaskFunction<I, O> function, Iterable<? extends I> inputs);

    /**
     * Shares {@code value} with this runner's tasks: keep the handle as a component of the function (or job) that reads
     * it. A process pool sends the value to each worker once, before the first function that holds the handle, instead
     * of with every task: a {@code double[]}, {@code long[]}, {@code int[]} or {@code byte[]} of 1 MiB or more as a file
     * that each local worker maps into memory (read it with {@link Shared#segment()} where it lies, or copy it once per
     * worker with {@link Shared#get()}), anything else inline. On threads the handle holds the value itself.
     *
     * <p>The value is taken as it is now: a process pool encodes it (or writes its file) here, so a change to the
     * object afterwards reaches no worker; on threads the handle holds the object itself, so share a value you no
     * longer change. It lives until it is closed ({@link Shared#close()}) and the calls made before the close are
     * done, or else as long as the runner: on every runner, a call made before the close reads the value for as long
     * as it runs, and a call made after is refused.
     *
     * <p>The runners on this JVM's threads share any value, since it never travels; only a process pool refuses one
     * that cannot travel. {@link ProcessPool#checkSendable(TaskFunction)} does not look into shared values.
     *
     * @throws IllegalArgumentException if the value is null, on every runner
     * @throws ShareNotSendableException if it cannot travel to worker processes (process pools only)
     * @throws FrameTooLargeException if it must travel inline to worker processes and does not fit in a frame
     *     (process pools)
     * @throws PoolClosedException if the runner is closed, on every runner
     */
    <T> Shared<T> share(T value);

    /**
     * Splits {@code job} at {@code size} into about {@code tasks} tasks, computes them all, and combines the
     * results in task order. Stops at the first failed task and withdraws the rest.
     *
     * @throws JobFailedException if a task failed; it carries every failure
     * @throws JobNotSendableException if the job cannot travel to worker processes (process pools only), or holds a
     *     shared value that was closed (every runner): no task ran
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
