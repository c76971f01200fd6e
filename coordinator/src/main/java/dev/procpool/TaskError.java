package dev.procpool;

/**
 * One failed task of a job run.
 *
 * @param index the task's position, from 0
 * @param count how many tasks the job had
 * @param task the task, as its {@code toString()} describes it
 * @param cause why it failed
 */
public record TaskError(int index, int count, String task, Throwable cause) {

    /** {@code task 3 of 32 ([1, 2)): <cause message>}. */
    public String describe() {
        String reason = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        return "task " + (index + 1) + " of " + count + " (" + task + "): " + reason;
    }
}
