package dev.procpool;

/**
 * A worker process could not be started or did not become ready: the worker jar is missing, a JVM argument is
 * invalid, it is from another build, or it did not answer in time. The message says which and what to do.
 */
public final class WorkerStartException extends ProcPoolException {

    private static final long serialVersionUID = 1L;

    public WorkerStartException(String message) {
        super(message);
    }

    public WorkerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
