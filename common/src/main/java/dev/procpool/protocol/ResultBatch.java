package dev.procpool.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * Worker to coordinator: the results of tasks it computed, in the order computed, and how long computing them
 * took, which tells the coordinator how many tasks to keep queued on this worker.
 *
 * <p>The arrays are not copied, for speed: whoever builds a batch must not change them afterwards.
 *
 * @param ids the tasks' ids
 * @param values {@code values[i]} is the result of task {@code ids[i]}
 * @param busyNanos the time spent computing these tasks
 */
public record ResultBatch(long[] ids, Object[] values, long busyNanos) implements Message {

    public ResultBatch {
        if (ids.length != values.length) {
            throw new IllegalArgumentException(ids.length + " ids for " + values.length + " values");
        }
        if (busyNanos < 0) {
            throw new IllegalArgumentException("busyNanos is negative: " + busyNanos);
        }
    }

    /** The result of one task. */
    public static ResultBatch of(long id, Object value, long busyNanos) {
        return new ResultBatch(new long[] {id}, new Object[] {value}, busyNanos);
    }

    public int size() {
        return ids.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ResultBatch that && Arrays.equals(ids, that.ids) && Arrays.deepEquals(values, that.values)
                && busyNanos == that.busyNanos;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(ids), Arrays.deepHashCode(values), busyNanos);
    }

    @Override
    public String toString() {
        return "ResultBatch[" + ids.length + " results, " + busyNanos + " ns]";
    }
}
