package dev.procpool;

import dev.procpool.measure.TaskUsage;
import java.time.Duration;

/**
 * The combined result of one job run, with what it took.
 *
 * @param job the job's name
 * @param size the size it was split at
 * @param tasks how many tasks it was split into
 * @param value the combined result
 * @param formatted the exact result as text ({@link dev.procpool.job.Job#format})
 * @param elapsed wall time from the first task submitted to the result combined
 * @param usage what the tasks themselves took on the threads that ran them, summed: wall time, CPU time, and time
 *     spent waiting for a core. Every runner of this library measures it: every task of half a millisecond or more
 *     and one in 64 shorter ones (reading the clocks costs microseconds), in a worker per batch of tasks, and on
 *     virtual threads wall time only; a runner of your own that does not measure reports zero wall time and no CPU
 *     time.
 */
public record JobResult<R>(String job, long size, int tasks, R value, String formatted, Duration elapsed,
        TaskUsage usage) {
}
