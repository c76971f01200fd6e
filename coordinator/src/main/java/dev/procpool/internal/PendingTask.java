package dev.procpool.internal;

import dev.procpool.measure.TaskUsage;
import dev.procpool.protocol.OneLine;
import java.time.Duration;

/**
 * A submitted task on its way through the pool, from the queue to a worker and back. Its callback is settled
 * exactly once, by the {@link TaskSettler}, once the task is off the dispatcher's books. Its blame count is written
 * only while it is off the books; everything else is immutable.
 */
final class PendingTask {

    private final long id;
    private final JobTicket ticket;
    private final Object task;
    private final TaskCallback callback;
    /** How long it may compute once a worker starts it; null for no limit. */
    private final Duration limit;
    /** Workers that died while this task was the one they were computing. */
    private volatile int crashes;

    /** A task without a time limit. */
    PendingTask(long id, JobTicket ticket, Object task, TaskCallback callback) {
        this(id, ticket, task, callback, null);
    }

    /** @param limit how long it may compute once a worker starts it; null for no limit */
    PendingTask(long id, JobTicket ticket, Object task, TaskCallback callback, Duration limit) {
        this.id = id;
        this.ticket = ticket;
        this.task = task;
        this.callback = callback;
        this.limit = limit;
    }

    long id() {
        return id;
    }

    /** The job's name, as messages say it. */
    String job() {
        return ticket.name();
    }

    /** The job the task belongs to, as it travels. */
    JobTicket ticket() {
        return ticket;
    }

    Object task() {
        return task;
    }

    /** How long it may compute once a worker starts it; null for no limit. */
    Duration limit() {
        return limit;
    }

    /** The task as its {@code toString()} describes it. */
    String describe() {
        return OneLine.of(task);
    }

    /** Whether nobody wants its outcome any more, so it need not run. */
    boolean isAbandoned() {
        return callback.abandoned();
    }

    /** Nobody wanted its outcome, and it was taken off the queue without running: see {@link TaskCallback#dropped()}. */
    void dropped() {
        callback.dropped();
    }

    /** How many workers died while computing this task. */
    int crashes() {
        return crashes;
    }

    /** Blames this task for a worker's death; returns the new count. Called only while it is off the books. */
    int blame() {
        return ++crashes;
    }

    /** A task that has taken a worker down once runs alone from then on, so a second death is surely its own. */
    boolean isSuspect() {
        return crashes > 0;
    }

    void complete(Object value, TaskUsage usage) {
        callback.succeeded(value, usage);
    }

    void fail(Throwable error) {
        callback.failed(error);
    }
}
