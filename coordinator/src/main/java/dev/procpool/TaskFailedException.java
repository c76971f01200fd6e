package dev.procpool;

/**
 * A task's own code threw. The cause is what it threw: the exception itself on threads, or a
 * {@link RemoteException} carrying the remote stack trace when the task ran in a worker process.
 */
public final class TaskFailedException extends ProcPoolException {

    private static final long serialVersionUID = 1L;

    private final String job;
    private final String task;
    private final String location;

    public TaskFailedException(String job, String task, String location, Throwable cause) {
        super("task " + task + " of job " + job + " threw " + cause + " on " + location, cause);
        this.job = job;
        this.task = task;
        this.location = location;
    }

    /** The job's name. */
    public String job() {
        return job;
    }

    /** The task, as its {@code toString()} describes it. */
    public String task() {
        return task;
    }

    /** Where it ran: {@code worker 3 (pid 4711)}, {@code thread procpool-thread-2}, or {@code the calling thread}. */
    public String location() {
        return location;
    }
}
