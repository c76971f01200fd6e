package dev.procpool;

import dev.procpool.internal.ShareHold;
import dev.procpool.internal.TaskSink;
import dev.procpool.job.Job;
import dev.procpool.job.TaskFunction;
import dev.procpool.job.Shared;
import dev.procpool.protocol.FunctionJob;
import dev.procpool.protocol.SharedValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * What every runner shares: jobs' tasks ({@link #submit(Job, Object)}, {@link #run}) and functions' inputs
 * ({@link #map}, {@link #submitAll}, ...) all go through the runner's {@link TaskSink}, a function as a
 * {@link FunctionJob}, so one task path serves every runner. Each call first refuses a job or function that holds a
 * shared value that was closed, and takes a hold on the ones it holds until it is done ({@link ShareHold#take}): a
 * {@code submit} until its future completes, {@code submitAll} until all of its futures have, {@code map} and
 * {@code run} until they return, {@code mapAsCompleted} until its stream is exhausted or closed. So every runner
 * refuses a closed value alike, and keeps it readable for the calls accepted before the close. Subclasses provide the
 * sink; thread-safety is theirs to keep.
 */
abstract class AbstractRunner implements Runner {

    /** Where this runner takes tasks. */
    abstract TaskSink sink();

    /**
     * Where {@link #submit} futures complete when no thread is waiting for them (see {@link TaskFuture}): by default a
     * virtual thread per completion, named {@code procpool-completion-N}, so the stages users chain to a future never
     * run on the runner's own threads (a stage that submits and waits would otherwise hold the very thread its task
     * needs). A process pool may be given an executor of the user's.
     */
    Executor completions() {
        return COMPLETIONS;
    }

    /** Whether the sink computes each task on the thread that hands it over, before returning. */
    boolean computesOnCaller() {
        return false;
    }

    private static final Executor COMPLETIONS = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("procpool-completion-", 1).factory());

    @Override
    public <T, R> CompletableFuture<R> submit(Job<T, R> job, T task) {
        Objects.requireNonNull(job, "job");
        return submitted(job, task, new TaskFuture<>(completions()));
    }

    @Override
    public <I, O> CompletableFuture<O> submit(TaskFunction<I, O> function, I input) {
        return submit(new FunctionJob<>(Objects.requireNonNull(function, "function")), input);
    }

    @Override
    public <I, O> CompletableFuture<O> submit(TaskFunction<I, O> function, I input, Duration limit) {
        FunctionJob<I, O> job = new FunctionJob<>(Objects.requireNonNull(function, "function"));
        if (limit == null || limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("limit must be a positive duration, was " + limit);
        }
        return submitted(job, input, new TaskFuture<>(completions(), limit));
    }

    /** Hands one task to the sink; a runner that is closed fails the future instead of throwing. */
    private <T, R> CompletableFuture<R> submitted(Job<T, R> job, T task, TaskFuture<R> future) {
        executeHoldingShares(job, Collections.singletonList(task), List.of(future));
        return future;
    }

    /**
     * Hands tasks to the sink, the call holding the shared values its job holds until every future has completed (see
     * {@link ShareHold#take}); a runner that is closed fails the futures instead of throwing.
     */
    private <T, R> void executeHoldingShares(Job<T, R> job, List<T> tasks, List<TaskFuture<R>> futures) {
        ShareHold hold = ShareHold.take(job);
        try {
            sink().execute(job, tasks, futures);
        } catch (PoolClosedException e) {
            futures.forEach(future -> future.failed(e));
        } catch (RuntimeException | Error e) {
            hold.close();
            throw e;
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .whenComplete((value, error) -> hold.close());
    }

    @Override
    public <I, O> List<CompletableFuture<O>> submitAll(TaskFunction<I, O> function, Iterable<? extends I> inputs) {
        FunctionJob<I, O> job = functionJob(function);
        List<I> tasks = listOf(inputs);
        List<TaskFuture<O>> futures = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            futures.add(new TaskFuture<>(completions()));
        }
        executeHoldingShares(job, tasks, futures);
        return List.copyOf(futures);
    }

    @Override
    public <I, O> List<O> map(TaskFunction<I, O> function, Iterable<? extends I> inputs) {
        FunctionJob<I, O> job = functionJob(function);
        List<I> tasks = listOf(inputs);
        ShareHold hold = ShareHold.take(job);
        try {
            return JobDriver.map(sink(), workers(), job, tasks);
        } finally {
            hold.close();
        }
    }

    @Override
    public <I, O> Stream<Completed<I, O>> mapAsCompleted(TaskFunction<I, O> function, Iterable<? extends I> inputs) {
        FunctionJob<I, O> job = functionJob(function);
        Iterator<? extends I> pending = Objects.requireNonNull(inputs, "inputs").iterator();
        ShareHold hold = ShareHold.take(job);
        try {
            return CompletionOrder.stream(sink(), job, pending, workers(), computesOnCaller(), hold);
        } catch (RuntimeException | Error e) {
            hold.close();
            throw e;
        }
    }

    private static <I, O> FunctionJob<I, O> functionJob(TaskFunction<I, O> function) {
        return new FunctionJob<>(Objects.requireNonNull(function, "function"));
    }

    /** The value itself, for the tasks of this JVM; a process pool shares it with its workers. */
    @Override
    public <T> Shared<T> share(T value) {
        checkShareable(value);
        return SharedValue.local(value);
    }

    /**
     * Checks what every runner checks before sharing a value.
     *
     * @throws IllegalArgumentException if the value is null
     * @throws PoolClosedException if this runner is closed
     */
    final void checkShareable(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("value is null: there is nothing to share");
        }
        if (isClosed()) {
            String runner = switch (mode()) {
                case SEQUENTIAL -> "sequential runner";
                case THREADS -> "thread runner";
                case VIRTUAL -> "virtual thread runner";
                case PROCESSES -> "process pool";
            };
            throw new PoolClosedException("the " + runner + " is closed: share values with a runner that is open");
        }
    }

    /** Whether {@link #close()} has been called. */
    abstract boolean isClosed();

    /** The inputs, copied once: a list may hold nulls, which a function may take. */
    private static <I> List<I> listOf(Iterable<? extends I> inputs) {
        Objects.requireNonNull(inputs, "inputs");
        List<I> list = new ArrayList<>();
        inputs.forEach(list::add);
        return list;
    }

    @Override
    public <T, R> JobResult<R> run(Job<T, R> job, long size, int tasks) {
        return run(job, size, tasks, false, ProgressListener.NONE);
    }

    @Override
    public <T, R> JobResult<R> run(Job<T, R> job, long size, int tasks, boolean keepGoing) {
        return run(job, size, tasks, keepGoing, ProgressListener.NONE);
    }

    @Override
    public <T, R> JobResult<R> run(Job<T, R> job, long size, int tasks, boolean keepGoing,
            ProgressListener progress) {
        Objects.requireNonNull(job, "job");
        ShareHold hold = ShareHold.take(job);
        try {
            return JobDriver.run(sink(), workers(), job, size, tasks, keepGoing, progress);
        } finally {
            hold.close();
        }
    }
}
