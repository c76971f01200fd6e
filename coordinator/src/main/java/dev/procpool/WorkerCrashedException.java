package dev.procpool;

import java.util.List;
import java.util.OptionalInt;

/**
 * A task took down the workers computing it, more times than its retries allow: each exited or was killed, or broke
 * the protocol and was killed for it. Carries the last worker's id and pid, its exit status where known, and the
 * last lines it wrote to stderr, which usually say why.
 */
public final class WorkerCrashedException extends WorkerException {

    private static final long serialVersionUID = 1L;

    private final Integer exitStatus;

    public WorkerCrashedException(String message, String job, String task, int workerId, long pid,
            OptionalInt exitStatus, List<String> stderrTail) {
        super(message, null, job, task, workerId, pid, stderrTail);
        this.exitStatus = exitStatus.isPresent() ? exitStatus.getAsInt() : null;
    }

    /** The exit status; above 128 it is 128 plus the number of the signal that killed the worker. */
    public OptionalInt exitStatus() {
        return exitStatus == null ? OptionalInt.empty() : OptionalInt.of(exitStatus);
    }
}
