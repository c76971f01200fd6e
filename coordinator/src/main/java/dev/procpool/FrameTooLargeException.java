package dev.procpool;

import java.util.Locale;

/**
 * A task or a result is larger, encoded, than one frame of the protocol may be ({@code maxFrameBytes}, 16 MiB by
 * default): a task that large never reached a worker; a result that large was computed, and lost. Says the size, the
 * limit, and what to do: share data that many tasks read ({@code share(value)}), split the work finer, or raise the
 * limit.
 */
public final class FrameTooLargeException extends ProcPoolException {

    private static final long serialVersionUID = 1L;

    /** What was too large. */
    public enum Payload {
        /** A task, on its way to a worker: it never ran. */
        TASK,
        /** A result, on its way back: the task ran, and its result is lost. */
        RESULT
    }

    private final String job;
    private final String task;
    private final Payload payload;
    private final long bytes;
    private final int limit;

    /**
     * @param where for a result, the worker that computed it ({@code worker 1 (pid 4711)}); null for a task
     * @param bytes the size encoded; -1 if unknown
     */
    public FrameTooLargeException(String job, String task, Payload payload, long bytes, int limit, String where) {
        super(message(job, task, payload, bytes, limit, where));
        this.job = job;
        this.task = task;
        this.payload = payload;
        this.bytes = bytes;
        this.limit = limit;
    }

    private static String message(String job, String task, Payload payload, long bytes, int limit, String where) {
        String size = bytes < 0 ? "larger" : String.format(Locale.ROOT, "%,d bytes", bytes);
        String over = String.format(Locale.ROOT, "over the frame limit of %,d bytes", limit);
        String raise = "raise the limit" + (bytes < 0 ? "" : String.format(Locale.ROOT, " to at least %,d bytes", bytes))
                + " (ProcessPoolBuilder.maxFrameBytes)";
        if (payload == Payload.TASK) {
            return "task " + task + " of job " + job + " is " + size + " encoded, " + over + ", so it cannot be sent to "
                    + "a worker; share data that many tasks read with share(value), which sends it to each worker once "
                    + "(a large primitive array as a file the workers map), or split it into smaller tasks, or " + raise;
        }
        return "task " + task + " of job " + job + " computed a result of " + size + " encoded on " + where + ", " + over
                + ", so it cannot travel back; return less per task (split the work finer), or " + raise;
    }

    public String job() {
        return job;
    }

    /** The task, as its {@code toString()} describes it. */
    public String task() {
        return task;
    }

    /** Whether the task or its result was too large. */
    public Payload payload() {
        return payload;
    }

    /** Its size encoded, in bytes; -1 if unknown. */
    public long bytes() {
        return bytes;
    }

    /** The frame limit it exceeded, in bytes. */
    public int limit() {
        return limit;
    }
}
