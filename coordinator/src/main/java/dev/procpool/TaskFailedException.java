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
    private final int workerId;
    private final long pid;

    /** A task that threw in this JVM, at {@code location} (a thread). */
    public TaskFailedException(String job, String task, String location, Throwable cause) {
        this(job, task, location, -1, -1, cause);
    }

    /** A task that threw in worker {@code workerId}, process {@code pid}. */
    public TaskFailedException(String job, String task, int workerId, long pid, Throwable cause) {
        this(job, task, "worker " + workerId + " (pid " + pid + ")", workerId, pid, cause);
    }

    private TaskFailedException(String job, String task, String location, int workerId, long pid, Throwable cause) {
        super("task " + task + " of job " + job + " threw " + cause + " on " + location, cause);
        this.job = job;
        this.task = task;
        this.location = location;
        this.workerId = workerId;
        this.pid = pid;
    }

    /** The worker the task ran in, or -1 if it ran on a thread of this JVM. */
    public int workerId() {
        return workerId;
    }

    /** The worker's process id, or -1 if the task ran on a thread of this JVM. */
    public long pid() {
        return pid;
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
