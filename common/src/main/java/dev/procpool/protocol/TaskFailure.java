package dev.procpool.protocol;

/**
 * Worker to coordinator: the task {@code taskId} did not produce a result it could send; {@code kind} says why, and
 * {@code error} describes what happened, with its stack trace where one helps.
 *
 * @param bytes for a result too large for a frame, its size encoded (-1 if unknown); 0 otherwise
 */
public record TaskFailure(long taskId, Kind kind, RemoteError error, long bytes) implements Message {

    /** Why a task has no result. */
    public enum Kind {
        /** The task's own code threw {@code error}. */
        THREW,
        /** The worker could not make the task's job from its class path; {@code error} says why. */
        JOB_UNAVAILABLE,
        /** The task computed a result that cannot be encoded; {@code error} says what. */
        RESULT_NOT_SENDABLE,
        /** The task computed a result larger than a frame: {@code bytes} of it. */
        RESULT_TOO_LARGE
    }

    public TaskFailure {
        if (kind == null || error == null) {
            throw new IllegalArgumentException("a task failure needs a kind and an error");
        }
    }

    /** A failure that is not about a result's size. */
    public TaskFailure(long taskId, Kind kind, RemoteError error) {
        this(taskId, kind, error, 0);
    }

    /** The task threw {@code error}. */
    public static TaskFailure threw(long taskId, RemoteError error) {
        return new TaskFailure(taskId, Kind.THREW, error);
    }
}
