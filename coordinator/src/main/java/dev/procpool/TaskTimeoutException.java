package dev.procpool;

import java.time.Duration;
import java.util.List;

/**
 * A task ran past its time limit, so its future failed at the limit. In a worker process the task was stopped: the
 * worker was killed and replaced, like for {@code --task-timeout}. A thread cannot be killed, so on threads the task
 * was interrupted and runs on until it returns, its result dropped; on the calling thread (the sequential runner) it
 * ran to its end before its future failed. {@link #stopped()} says which. The task is not retried: a limit that was hit
 * once would likely be hit again.
 */
public final class TaskTimeoutException extends WorkerException {

    private static final long serialVersionUID = 1L;

    private final Duration limit;
    private final String location;
    private final boolean stopped;

    /** A task whose worker process was killed at its limit. */
    public TaskTimeoutException(String job, String task, int workerId, long pid, Duration limit, List<String> stderrTail) {
        super("task " + task + " of job " + job + " ran past its time limit of " + format(limit) + " on worker "
                + workerId + " (pid " + pid + "), which was killed; if the task needs longer, raise the limit "
                + "(--task-timeout, ProcessPoolBuilder.taskTimeout, or the limit given to submit)", null, job, task,
                workerId, pid, stderrTail);
        this.limit = limit;
        this.location = "worker " + workerId + " (pid " + pid + ")";
        this.stopped = true;
    }

    /**
     * A task past its limit on a thread of this JVM, which cannot be stopped.
     *
     * @param location the thread: {@code thread procpool-thread-2}, or {@code the calling thread}
     * @param ranToItsEnd whether it had already returned when its limit was noticed (the calling thread), rather than
     *     being interrupted and left running
     */
    public TaskTimeoutException(String job, String task, String location, Duration limit, boolean ranToItsEnd) {
        super("task " + task + " of job " + job + " ran past its time limit of " + format(limit) + " on " + location
                + (ranToItsEnd ? ", which computed it to its end: the calling thread cannot be stopped"
                        : ", which cannot be stopped: it was interrupted and runs on until the task returns, its result "
                                + "dropped")
                + "; if the task needs longer, raise the limit", null, job, task, -1, -1, List.of());
        this.limit = limit;
        this.location = location;
        this.stopped = false;
    }

    /** The time limit it ran past. */
    public Duration limit() {
        return limit;
    }

    /** Where it ran: {@code worker 3 (pid 4711)}, {@code thread procpool-thread-2}, or {@code the calling thread}. */
    public String location() {
        return location;
    }

    /**
     * Whether the task was stopped at its limit: true in a worker process, which was killed; false on a thread, where
     * the task ran on (and its result was dropped).
     */
    public boolean stopped() {
        return stopped;
    }

    static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + " s" : millis + " ms";
    }
}
