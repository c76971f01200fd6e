package dev.procpool.internal;

import dev.procpool.protocol.TaskRequest;
import java.util.concurrent.CompletableFuture;

/**
 * A submitted task on its way through the pool, from the queue to a worker and back. Its future is completed
 * exactly once, by whoever removes the task from the dispatcher's books. Immutable apart from the future.
 */
public final class PendingTask {

    private final long id;
    private final String job;
    private final Object task;
    private final CompletableFuture<Object> future;
    /** Workers that died while this task was the one they were computing. */
    private volatile int crashes;

    public PendingTask(long id, String job, Object task, CompletableFuture<Object> future) {
        this.id = id;
        this.job = job;
        this.task = task;
        this.future = future;
    }

    public long id() {
        return id;
    }

    public String job() {
        return job;
    }

    /** The task as its {@code toString()} describes it. */
    public String describe() {
        return String.valueOf(task);
    }

    public CompletableFuture<Object> future() {
        return future;
    }

    /** Whether the caller has given up on it (cancelled), or it is otherwise settled. */
    public boolean isSettled() {
        return future.isDone();
    }

    /** How many workers died while computing this task. */
    public int crashes() {
        return crashes;
    }

    /** Blames this task for a worker's death; returns the new count. Called only while it is off the books. */
    public int blame() {
        return ++crashes;
    }

    /** A task that has taken a worker down once runs alone from then on, so a second death is surely its own. */
    boolean isSuspect() {
        return crashes > 0;
    }

    TaskRequest request() {
        return new TaskRequest(id, job, task);
    }

    public void complete(Object value) {
        future.complete(value);
    }

    public void fail(Throwable error) {
        future.completeExceptionally(error);
    }
}
