package dev.procpool.protocol;

/**
 * Coordinator to worker: compute {@code task} with the job named {@code job}; answer with a {@link TaskResult}
 * or a {@link TaskFailure} carrying the same {@code taskId}.
 */
public record TaskRequest(long taskId, String job, Object task) implements Message {
}
