package dev.procpool.internal;

/**
 * How long one job (or function) class's tasks take to compute, as its workers report: an average of its recent
 * results, unknown until its first. Kept per class, not per worker, so that a new job starts unknown (one task per
 * worker) even on workers that have been running tiny tasks of another; and not per value, so that the tasks of a
 * function that captures each input (a new value each time) are timed together rather than each starting unknown.
 * Not thread-safe: guarded by the books' lock ({@link WorkerBooks#locked}); the books time it as answers arrive, the
 * dispatcher reads it to size windows.
 */
final class JobDuration {

    /** Average compute time of its recent tasks; negative until its first results. */
    private double taskNanos = -1;

    /** Average compute time of its recent tasks, in nanoseconds; negative while none has been timed. */
    double taskNanos() {
        return taskNanos;
    }

    /** A worker reported {@code busyNanos} of computing for {@code tasks} of this job's tasks. */
    void measured(long busyNanos, int tasks) {
        if (tasks > 0) {
            double perTask = (double) busyNanos / tasks;
            taskNanos = taskNanos < 0 ? perTask : 0.75 * taskNanos + 0.25 * perTask;
        }
    }

    /**
     * The longer of two durations, where unknown counts as longer than any: what sizes the window of a worker holding
     * tasks of both jobs.
     */
    static double longer(double taskNanos, double otherNanos) {
        return taskNanos < 0 || otherNanos < 0 ? -1 : Math.max(taskNanos, otherNanos);
    }
}
