package dev.procpool;

import dev.procpool.internal.TaskSink;
import dev.procpool.job.Job;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What every runner shares: {@link #submit} and {@link #run} both go through the runner's {@link TaskSink}, so one
 * task path serves every runner. Subclasses provide the sink; thread-safety is theirs to keep.
 */
abstract class AbstractRunner implements Runner {

    /** Where this runner takes tasks. */
    abstract TaskSink sink();

    /**
     * Where {@link #submit} futures complete when no thread is waiting for them (see {@link TaskFuture}). By default
     * the thread that settles the task, which for the in-process runners is the thread that computed it; a process
     * pool overrides this so users' code stays off its threads.
     */
    Executor completions() {
        return Runnable::run;
    }

    @Override
    public <T, R> CompletableFuture<R> submit(Job<T, R> job, T task) {
        TaskFuture<R> future = new TaskFuture<>(completions());
        sink().execute(job, List.of(task), List.of(future));
        return future;
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
        return JobDriver.run(sink(), workers(), job, size, tasks, keepGoing, progress);
    }
}
