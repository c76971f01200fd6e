package dev.procpool.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * Coordinator to worker: compute these tasks of the job defined under {@code job} (see {@link JobDefinition}), in this
 * order. Each task is answered by its id, in a {@link ResultBatch} or a {@link TaskFailure}. One frame carries as many
 * tasks as the worker has room for, so tiny tasks do not each pay for a frame and a system call.
 *
 * <p>A worker that could not make the job does not decode its tasks: it reads the ids, skips the rest of the frame,
 * and the batch it gets has {@code tasks} null, so it answers each id with the reason.
 *
 * <p>The arrays are not copied, for speed: whoever builds a batch must not change them afterwards.
 *
 * @param job the job's key
 * @param ids the tasks' ids, in order
 * @param tasks the tasks, {@code tasks[i]} with id {@code ids[i]}; null when they were skipped unread
 */
public record TaskBatch(long job, long[] ids, Object[] tasks) implements Message {

    public TaskBatch {
        if (tasks != null && ids.length != tasks.length) {
            throw new IllegalArgumentException(ids.length + " ids for " + tasks.length + " tasks");
        }
    }

    /** A batch of one task. */
    public static TaskBatch of(long id, long job, Object task) {
        return new TaskBatch(job, new long[] {id}, new Object[] {task});
    }

    public int size() {
        return ids.length;
    }

    /** Whether the tasks were skipped unread: the worker could not make their job. */
    public boolean skipped() {
        return tasks == null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TaskBatch that && job == that.job && Arrays.equals(ids, that.ids)
                && Arrays.deepEquals(tasks, that.tasks);
    }

    @Override
    public int hashCode() {
        return Objects.hash(job, Arrays.hashCode(ids), Arrays.deepHashCode(tasks));
    }

    @Override
    public String toString() {
        return "TaskBatch[job " + job + ", " + ids.length + " tasks" + (tasks == null ? ", skipped" : "") + "]";
    }
}
