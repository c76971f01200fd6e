package dev.procpool;

import java.util.List;

/**
 * A task's failure that is tied to where it ran: it threw there, its worker died computing it, or it ran past its
 * time limit. Says which job and task, and which worker (id and pid, where it ran in a worker process) with the last
 * lines that worker wrote to stderr.
 */
public abstract class WorkerException extends ProcPoolException {

    private static final long serialVersionUID = 1L;

    private final String job;
    private final String task;
    private final int workerId;
    private final long pid;
    private final List<String> stderrTail;

    /**
     * @param job the job's name
     * @param task the task, as its {@code toString()} describes it
     * @param workerId the worker it ran in, or -1 for a thread of this JVM
     * @param pid the worker's process id, or -1 for a thread of this JVM
     * @param stderrTail the last lines the worker wrote to stderr
     */
    protected WorkerException(String message, Throwable cause, String job, String task, int workerId, long pid,
            List<String> stderrTail) {
        super(message, cause);
        this.job = job;
        this.task = task;
        this.workerId = workerId;
        this.pid = pid;
        this.stderrTail = List.copyOf(stderrTail);
    }

    /** The job's name. */
    public String job() {
        return job;
    }

    /** The task, as its {@code toString()} describes it. */
    public String task() {
        return task;
    }

    /** The worker the task ran in, or -1 if it ran on a thread of this JVM. */
    public int workerId() {
        return workerId;
    }

    /** The worker's process id, or -1 if the task ran on a thread of this JVM. */
    public long pid() {
        return pid;
    }

    /** The last lines the worker wrote to stderr, oldest first; empty for a thread of this JVM. */
    public List<String> stderrTail() {
        return stderrTail;
    }
}
