package dev.procpool;

/**
 * A task could not be sent to a worker: it (or something it holds) cannot be encoded for the wire. It never ran.
 * The message names the task, the job and what could not be encoded.
 */
public final class TaskNotSendableException extends ProcPoolException {

    private static final long serialVersionUID = 1L;

    private final String job;
    private final String task;

    /**
     * @param job the job's name
     * @param task the task, in one line
     * @param why what could not be encoded, and what to do about it
     * @param cause the encoder's failure
     */
    public TaskNotSendableException(String job, String task, String why, Throwable cause) {
        super("task " + task + " of job " + job + " cannot be sent to a worker: " + why, cause);
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
