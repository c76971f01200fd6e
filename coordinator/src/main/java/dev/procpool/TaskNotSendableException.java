package dev.procpool;

/**
 * A task could not be sent to a worker: it (or something it holds) cannot be encoded for the wire. It never ran.
 * The message names the task, the job and what could not be encoded.
 */
public final class TaskNotSendableException extends ProcPoolException {

    private static final long serialVersionUID = 1L;

    private final String job;
    private final String task;

    public TaskNotSendableException(String job, String task, Throwable cause) {
        super("task " + task + " of job " + job + " cannot be sent to a worker: " + cause.getMessage()
                + "; list the records and enums it holds in the job's wireTypes()", cause);
        this.job = job;
        this.task = task;
    }

    /** The job's name. */
    public String job() {
        return job;
    }

    /** The task, as its {@code toString()} describes it. */
    public String task() {
        return task;
    }
}
