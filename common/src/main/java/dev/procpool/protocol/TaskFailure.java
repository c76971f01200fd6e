package dev.procpool.protocol;

/** Worker to coordinator: the task {@code taskId} threw; {@code error} describes what, with its stack trace. */
public record TaskFailure(long taskId, RemoteError error) implements Message {
}
