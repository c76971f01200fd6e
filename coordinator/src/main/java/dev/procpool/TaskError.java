package dev.procpool;

import dev.procpool.protocol.OneLine;

/**
 * One failed task of a job run.
 *
 * @param index the task's position, from 0
 * @param count how many tasks the job had
 * @param task the task, as its {@code toString()} describes it
 * @param cause why it failed
 */
public record TaskError(int index, int count, String task, Throwable cause) {

    /**
     * {@code task 3 of 32 ([1, 2)) threw java.lang.IllegalStateException: boom on worker 2 (pid 4711)}, or for
     * other failures {@code task 3 of 32 ([1, 2)) failed: <what happened>}.
     */
    public String describe() {
        String which = "task " + (index + 1) + " of " + count + " (" + task + ")";
        if (cause instanceof TaskFailedException failed) {
            return which + " threw " + OneLine.of(failed.getCause()) + " on " + failed.location();
        }
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        // procpool's own sentences keep their advice whole; only what other code said is shortened
        return which + " failed: " + (cause instanceof ProcPoolException ? oneLine(message) : OneLine.shorten(message));
    }

    private static String oneLine(String text) {
        return String.join(" ", text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList());
    }
}
