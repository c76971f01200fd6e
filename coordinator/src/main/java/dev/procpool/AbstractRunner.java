package dev.procpool;

import dev.procpool.internal.TaskSink;
import dev.procpool.job.Job;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * What every runner shares: {@link #submit} and {@link #run} both go through the runner's {@link TaskSink}, so one
 * task path serves every runner. Subclasses provide the sink; thread-safety is theirs to keep.
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

    private static final Executor COMPLETIONS = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("procpool-completion-", 1).factory());

    @Override
    public <T, R> CompletableFuture<R> submit(Job<T, R> job, T task) {
        Objects.requireNonNull(job, "job");
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
        Objects.requireNonNull(job, "job");
        return JobDriver.run(sink(), workers(), job, size, tasks, keepGoing, progress);
    }
}
