package dev.procpool;

import dev.procpool.internal.RemoteErrors;
import dev.procpool.protocol.OneLine;
import java.util.List;

/**
 * A task's own code threw. The same on every runner: the cause is a {@link RemoteException} standing for what the
 * task threw (its class name, message and stack trace, and its causes as {@code RemoteException}s in turn), whether
 * it ran in a worker process or on a thread of this JVM, so catch code reads the same whatever ran the task. The
 * accessors {@link #errorClassName()}, {@link #errorMessage()} and {@link #errorStackTrace()} read it directly.
 */
public final class TaskFailedException extends WorkerException {

    private static final long serialVersionUID = 1L;

    private final String location;

    /** A task that threw {@code thrown} in this JVM, at {@code location} (a thread). */
    public TaskFailedException(String job, String task, String location, Throwable thrown) {
        this(job, task, location, -1, -1, standIn(thrown));
    }

    /** A task that threw in worker {@code workerId}, process {@code pid}. */
    public TaskFailedException(String job, String task, int workerId, long pid, Throwable thrown) {
        this(job, task, "worker " + workerId + " (pid " + pid + ")", workerId, pid, standIn(thrown));
    }

    private TaskFailedException(String job, String task, String location, int workerId, long pid,
            RemoteException cause) {
        super("task " + task + " of job " + job + " threw " + OneLine.of(cause) + " on " + location, cause, job, task,
                workerId, pid, List.of());
        this.location = location;
    }

    private static RemoteException standIn(Throwable thrown) {
        return thrown instanceof RemoteException remote ? remote : RemoteErrors.copyOf(thrown);
    }

    /** Where it ran: {@code worker 3 (pid 4711)}, {@code thread procpool-thread-2}, or {@code the calling thread}. */
    public String location() {
        return location;
    }

    /** What the task threw, as a {@link RemoteException} on every runner. */
    @Override
    public RemoteException getCause() {
        return (RemoteException) super.getCause();
    }

    /** The class of the exception the task threw: {@code java.lang.IllegalStateException}. */
    public String errorClassName() {
        return getCause().remoteClassName();
    }

    /** The message of the exception the task threw, or null if it had none. */
    public String errorMessage() {
        return getCause().getMessage();
    }

    /** The stack trace of the exception the task threw, where it threw it. */
    public StackTraceElement[] errorStackTrace() {
        return getCause().getStackTrace();
    }
}
