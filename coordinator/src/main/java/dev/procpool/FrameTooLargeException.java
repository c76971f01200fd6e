package dev.procpool;

import java.util.Locale;

/**
 * A task, a result or a value to share is larger, encoded, than one frame of the protocol may be
 * ({@code maxFrameBytes}, 16 MiB by default): a task that large never reached a worker; a result that large was
 * computed, and lost; a value that large was not shared ({@code share(value)} threw this). Says the size, the limit,
 * and what to do: share data that many tasks read ({@code share(value)}), split the work finer, or raise the limit.
 */
public final class FrameTooLargeException extends ProcPoolException {

    private static final long serialVersionUID = 1L;

    /** What was too large. */
    public enum Payload {
        /** A task, on its way to a worker: it never ran. */
        TASK,
        /** A result, on its way back: the task ran, and its result is lost. */
        RESULT,
        /**
         * A value to share with workers that receive it through their pipe (workers on other machines, or any value
         * but a large primitive array): it was not shared. {@link #job()} is null and {@link #task()} names the value.
         */
        SHARED_VALUE
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

    /**
     * A value to share that does not fit in a frame.
     *
     * @param value the value, in one line ({@code double[3000000]})
     * @param bytes its size encoded; -1 if unknown
     */
    public static FrameTooLargeException sharedValue(String value, long bytes, int limit) {
        return new FrameTooLargeException(null, value, Payload.SHARED_VALUE, bytes, limit, null);
    }

    private static String message(String job, String task, Payload payload, long bytes, int limit, String where) {
        String size = bytes < 0 ? "larger" : String.format(Locale.ROOT, "%,d bytes", bytes);
        String over = String.format(Locale.ROOT, "over the frame limit of %,d bytes", limit);
        String raise = "raise the limit" + (bytes < 0 ? "" : String.format(Locale.ROOT, " to at least %,d bytes", bytes))
                + " (ProcessPoolBuilder.maxFrameBytes)";
        if (payload == Payload.SHARED_VALUE) {
            return "the value to share, " + task + ", is " + size + " encoded, " + over + ", so it cannot be sent to "
                    + "workers that receive it through their pipe (workers on other machines, or any value but a "
                    + "primitive array of 1 MiB or more, which goes to local workers as a file); share it in parts "
                    + "(several smaller arrays), or " + raise;
        }
        if (payload == Payload.TASK) {
            return "task " + task + " of job " + job + " is " + size + " encoded, " + over + ", so it cannot be sent to "
                    + "a worker; share data that many tasks read with share(value), which sends it to each worker once "
                    + "(a large primitive array as a file the workers map), or split it into smaller tasks, or " + raise;
        }
        return "task " + task + " of job " + job + " computed a result of " + size + " encoded on " + where + ", " + over
                + ", so it cannot travel back; return less per task (split the work finer), or " + raise;
    }

    /** The job's name; null for a value to share. */
    public String job() {
        return job;
    }

    /** The task, as its {@code toString()} describes it; for a value to share, the value. */
    public String task() {
        return task;
    }

    /** Whether the task, its result or a value to share was too large. */
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
