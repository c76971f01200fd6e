package dev.procpool.protocol;

/**
 * Worker to coordinator: the task {@code taskId} did not produce a result it could send; {@code kind} says why, and
 * {@code error} describes what happened, with its stack trace where one helps.
 */
public record TaskFailure(long taskId, Kind kind, RemoteError error) implements Message {

    /** Why a task has no result. */
    public enum Kind {
        /** The task's own code threw {@code error}. */
        THREW,
        /** The worker could not make the task's job from its class path; {@code error} says why. */
        JOB_UNAVAILABLE,
        /** The task computed a result that cannot be encoded; {@code error} says what. */
        RESULT_NOT_SENDABLE
    }

    public TaskFailure {
        if (kind == null || error == null) {
            throw new IllegalArgumentException("a task failure needs a kind and an error");
        }
    }

    /** The task threw {@code error}. */
    public static TaskFailure threw(long taskId, RemoteError error) {
        return new TaskFailure(taskId, Kind.THREW, error);
    }
}
