package dev.procpool;

import java.time.Duration;
import java.util.List;

/**
 * A task ran past its time limit, so the worker computing it was killed (a thread cannot be stopped; a process
 * can) and replaced. The task is not retried: a limit that was hit once would likely be hit again.
 */
public final class TaskTimeoutException extends WorkerException {

    private static final long serialVersionUID = 1L;

    private final Duration limit;

    public TaskTimeoutException(String job, String task, int workerId, long pid, Duration limit, List<String> stderrTail) {
        super("task " + task + " of job " + job + " ran past its time limit of " + format(limit) + " on worker "
                + workerId + " (pid " + pid + "), which was killed; if the task needs longer, raise the limit "
                + "(--task-timeout, or ProcessPoolBuilder.taskTimeout)", null, job, task, workerId, pid, stderrTail);
        this.limit = limit;
    }

    /** The time limit it ran past. */
    public Duration limit() {
        return limit;
    }

    static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + " s" : millis + " ms";
    }
}
