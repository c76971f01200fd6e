package dev.procpool;

import java.util.List;
import java.util.OptionalInt;

/**
 * A worker process ended, or was ended, while it held tasks: it exited or was killed, or it broke the protocol
 * and was killed for it. Carries the worker's id and pid, its exit status where known, and the last lines it
 * wrote to stderr, which usually say why.
 */
public final class WorkerCrashedException extends ProcPoolException {

    private static final long serialVersionUID = 1L;

    private final int workerId;
    private final long pid;
    private final Integer exitStatus;
    private final List<String> stderrTail;

    public WorkerCrashedException(String message, int workerId, long pid, OptionalInt exitStatus, List<String> stderrTail) {
        super(message);
        this.workerId = workerId;
        this.pid = pid;
        this.exitStatus = exitStatus.isPresent() ? exitStatus.getAsInt() : null;
        this.stderrTail = List.copyOf(stderrTail);
    }

    public int workerId() {
        return workerId;
    }

    public long pid() {
        return pid;
    }

    /** The exit status; above 128 it is 128 plus the number of the signal that killed the worker. */
    public OptionalInt exitStatus() {
        return exitStatus == null ? OptionalInt.empty() : OptionalInt.of(exitStatus);
    }

    /** The last lines the worker wrote to stderr, oldest first. */
    public List<String> stderrTail() {
        return stderrTail;
    }
}
