package dev.procpool.worker;

/** The worker's exit statuses. */
final class WorkerExit {

    /** Told to stop, or its coordinator closed stdin. */
    static final int OK = 0;

    /** Started with bad arguments. */
    static final int USAGE = 2;

    /** Read something on stdin that is not a valid frame. */
    static final int PROTOCOL_ERROR = 3;

    /** Could not write to stdout: the coordinator is gone. */
    static final int CHANNEL_CLOSED = 4;

    private WorkerExit() {
    }
}
