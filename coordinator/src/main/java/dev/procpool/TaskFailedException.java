package dev.procpool;

import dev.procpool.protocol.OneLine;
import java.util.List;

/**
 * A task's own code threw. The cause is what it threw: the exception itself on threads, or a
 * {@link RemoteException} carrying the remote stack trace when the task ran in a worker process.
 */
public final class TaskFailedException extends WorkerException {

    private static final long serialVersionUID = 1L;

    private final String location;

    /** A task that threw in this JVM, at {@code location} (a thread). */
    public TaskFailedException(String job, String task, String location, Throwable cause) {
        this(job, task, location, -1, -1, cause);
    }

    /** A task that threw in worker {@code workerId}, process {@code pid}. */
    public TaskFailedException(String job, String task, int workerId, long pid, Throwable cause) {
        this(job, task, "worker " + workerId + " (pid " + pid + ")", workerId, pid, cause);
    }

    private TaskFailedException(String job, String task, String location, int workerId, long pid, Throwable cause) {
        super("task " + task + " of job " + job + " threw " + OneLine.of(cause) + " on " + location, cause, job, task, workerId,
                pid, List.of());
        this.location = location;
    }

    /** Where it ran: {@code worker 3 (pid 4711)}, {@code thread procpool-thread-2}, or {@code the calling thread}. */
    public String location() {
        return location;
    }
}
