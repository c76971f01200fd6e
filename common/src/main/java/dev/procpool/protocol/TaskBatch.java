package dev.procpool.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * Coordinator to worker: compute these tasks of the job named {@code job}, in this order. Each task is answered
 * by its id, in a {@link ResultBatch} or a {@link TaskFailure}. One frame carries as many tasks as the worker has
 * room for, so tiny tasks do not each pay for a frame and a system call.
 *
 * <p>The arrays are not copied, for speed: whoever builds a batch must not change them afterwards.
 *
 * @param job the job's name
 * @param ids the tasks' ids, in order
 * @param tasks the tasks, {@code tasks[i]} with id {@code ids[i]}
 */
public record TaskBatch(String job, long[] ids, Object[] tasks) implements Message {

    public TaskBatch {
        Objects.requireNonNull(job, "job");
        if (ids.length != tasks.length) {
            throw new IllegalArgumentException(ids.length + " ids for " + tasks.length + " tasks");
        }
    }

    /** A batch of one task. */
    public static TaskBatch of(long id, String job, Object task) {
        return new TaskBatch(job, new long[] {id}, new Object[] {task});
    }

    public int size() {
        return ids.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TaskBatch that && job.equals(that.job) && Arrays.equals(ids, that.ids)
                && Arrays.deepEquals(tasks, that.tasks);
    }

    @Override
    public int hashCode() {
        return Objects.hash(job, Arrays.hashCode(ids), Arrays.deepHashCode(tasks));
    }

    @Override
    public String toString() {
        return "TaskBatch[" + job + ", " + ids.length + " tasks]";
    }
}
