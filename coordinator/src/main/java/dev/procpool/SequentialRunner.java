package dev.procpool;

import dev.procpool.job.Job;
import java.util.concurrent.CompletableFuture;

/**
 * Computes each task on the calling thread, inside {@link #submit}: the baseline every other runner is measured
 * against. Thread-safe (it holds no state beyond the closed flag).
 */
public final class SequentialRunner implements Runner {

    private volatile boolean closed;

    @Override
    public Mode mode() {
        return Mode.SEQUENTIAL;
    }

    @Override
    public int workers() {
        return 1;
    }

    @Override
    public <T, R> CompletableFuture<R> submit(Job<T, R> job, T task) {
        if (closed) {
            throw new PoolClosedException("the sequential runner is closed");
        }
        try {
            return CompletableFuture.completedFuture(job.compute(task));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(
                    new TaskFailedException(job.name(), String.valueOf(task), "the calling thread", e));
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
