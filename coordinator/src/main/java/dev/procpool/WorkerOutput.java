package dev.procpool;

/**
 * Receives each line a worker writes to its stderr (its log, and whatever its tasks print). Called from one
 * thread per worker, so implementations must be thread-safe.
 */
@FunctionalInterface
public interface WorkerOutput {

    void line(int workerId, String line);

    /** Writes {@code [worker N] line} to this JVM's stderr. */
    static WorkerOutput stderr() {
        return (workerId, line) -> System.err.println("[worker " + workerId + "] " + line);
    }

    /** Drops every line (the tail kept for error messages still sees them). */
    static WorkerOutput discard() {
        return (workerId, line) -> { };
    }
}
