package dev.procpool.protocol;

/** Worker to coordinator: the task {@code taskId} computed {@code value}. */
public record TaskResult(long taskId, Object value) implements Message {
}
