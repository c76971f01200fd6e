package dev.procpool.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * Worker to coordinator: the results of tasks it computed, in the order computed, how long computing them took
 * (which tells the coordinator how many tasks to keep queued on this worker), and how the computing thread used
 * that time (which tells whether the tasks compute or wait).
 *
 * <p>The arrays are not copied, for speed: whoever builds a batch must not change them afterwards.
 *
 * @param ids the tasks' ids
 * @param values {@code values[i]} is the result of task {@code ids[i]}
 * @param busyNanos the wall time spent computing these tasks
 * @param cpuNanos the CPU time the computing thread used on them (measured over whole stretches of tasks, so a
 *     batch may carry a stretch's CPU time with its last task's result)
 * @param readyNanos the time the computing thread was ready to run but had no core, measured like
 *     {@code cpuNanos}; zero where the worker's system does not tell
 * @param sampledNanos the wall time over which {@code cpuNanos} and {@code readyNanos} were measured: reading those
 *     clocks costs microseconds, so a worker busy with tiny tasks measures only a sample of its stretches of work
 */
public record ResultBatch(long[] ids, Object[] values, long busyNanos, long cpuNanos, long readyNanos,
        long sampledNanos) implements Message {

    public ResultBatch {
        if (ids.length != values.length) {
            throw new IllegalArgumentException(ids.length + " ids for " + values.length + " values");
        }
        if (busyNanos < 0 || cpuNanos < 0 || readyNanos < 0 || sampledNanos < 0) {
            throw new IllegalArgumentException("negative time: busy " + busyNanos + " ns, CPU " + cpuNanos
                    + " ns, ready " + readyNanos + " ns, sampled " + sampledNanos + " ns");
        }
    }

    /** Results whose CPU and ready time were measured over the whole of their busy time. */
    public ResultBatch(long[] ids, Object[] values, long busyNanos, long cpuNanos, long readyNanos) {
        this(ids, values, busyNanos, cpuNanos, readyNanos, busyNanos);
    }

    /** Results with no CPU time measured. */
    public ResultBatch(long[] ids, Object[] values, long busyNanos) {
        this(ids, values, busyNanos, 0, 0, 0);
    }

    /** The result of one task, with no CPU time measured. */
    public static ResultBatch of(long id, Object value, long busyNanos) {
        return new ResultBatch(new long[] {id}, new Object[] {value}, busyNanos, 0, 0, 0);
    }

    public int size() {
        return ids.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ResultBatch that && Arrays.equals(ids, that.ids) && Arrays.deepEquals(values, that.values)
                && busyNanos == that.busyNanos && cpuNanos == that.cpuNanos && readyNanos == that.readyNanos
                && sampledNanos == that.sampledNanos;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(ids), Arrays.deepHashCode(values), busyNanos, cpuNanos, readyNanos,
                sampledNanos);
    }

    @Override
    public String toString() {
        return "ResultBatch[" + ids.length + " results, " + busyNanos + " ns busy, " + cpuNanos + " ns CPU, "
                + readyNanos + " ns ready]";
    }
}
