package dev.procpool.internal;

import dev.procpool.measure.TaskUsage;

/**
 * A submitted task on its way through the pool, from the queue to a worker and back. Its callback is settled
 * exactly once, by whoever takes the task off the dispatcher's books.
 */
public final class PendingTask {

    private final long id;
    private final String job;
    private final Object task;
    private final TaskCallback callback;
    /** Workers that died while this task was the one they were computing. */
    private volatile int crashes;

    public PendingTask(long id, String job, Object task, TaskCallback callback) {
        this.id = id;
        this.job = job;
        this.task = task;
        this.callback = callback;
    }

    public long id() {
        return id;
    }

    public String job() {
        return job;
    }

    Object task() {
        return task;
    }

    /** The task as its {@code toString()} describes it. */
    public String describe() {
        return String.valueOf(task);
    }

    /** Whether nobody wants its outcome any more, so it need not run. */
    public boolean isAbandoned() {
        return callback.abandoned();
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

    public void complete(Object value, TaskUsage usage) {
        callback.succeeded(value, usage);
    }

    public void fail(Throwable error) {
        callback.failed(error);
    }
}
