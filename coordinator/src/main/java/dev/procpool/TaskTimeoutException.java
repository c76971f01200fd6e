package dev.procpool;

import java.time.Duration;
import java.util.List;

/**
 * A task ran past its time limit, so the worker computing it was killed (a thread cannot be stopped; a process
 * can) and replaced. The task is not retried: a limit that was hit once would likely be hit again.
 */
public final class TaskTimeoutException extends ProcPoolException {

    private static final long serialVersionUID = 1L;

    private final String job;
    private final String task;
    private final int workerId;
    private final long pid;
    private final Duration limit;
    private final List<String> stderrTail;

    public TaskTimeoutException(String job, String task, int workerId, long pid, Duration limit, List<String> stderrTail) {
        super("task " + task + " of job " + job + " ran past its time limit of " + format(limit) + " on worker "
                + workerId + " (pid " + pid + "), which was killed; if the task needs longer, raise the limit "
                + "(--task-timeout, or ProcessPoolBuilder.taskTimeout)");
        this.job = job;
        this.task = task;
        this.workerId = workerId;
        this.pid = pid;
        this.limit = limit;
        this.stderrTail = List.copyOf(stderrTail);
    }

    public String job() {
        return job;
    }

    public String task() {
        return task;
    }

    public int workerId() {
        return workerId;
    }

    public long pid() {
        return pid;
    }

    public Duration limit() {
        return limit;
    }

    /** The last lines the killed worker wrote to stderr, oldest first. */
    public List<String> stderrTail() {
        return stderrTail;
    }

    static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + " s" : millis + " ms";
    }
}
