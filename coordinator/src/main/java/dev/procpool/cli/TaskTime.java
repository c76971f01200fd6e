package dev.procpool.cli;

import dev.procpool.measure.TaskUsage;

/**
 * What the tasks of one run used on the threads that ran them, in seconds, summed over the tasks: the measure the
 * lesson rests on, because unlike the machine's totals it does not change when other programs load the machine.
 * Immutable.
 *
 * @param wallSeconds wall time from each task's start to its end
 * @param cpuSeconds CPU time the tasks used; NaN where it was not measured
 * @param readySeconds time the tasks were ready to run but waited for a core that other threads or programs held;
 *     zero where it was not measured
 */
record TaskTime(double wallSeconds, double cpuSeconds, double readySeconds) {

    /** Nothing measured. */
    static final TaskTime UNKNOWN = new TaskTime(0, Double.NaN, 0);

    static TaskTime of(TaskUsage usage) {
        return new TaskTime(usage.wallNanos() / 1e9, usage.cpuMeasured() ? usage.cpuNanos() / 1e9 : Double.NaN,
                usage.readyNanos() / 1e9);
    }

    /** The same wall and ready time with CPU time measured elsewhere (for virtual threads, on their carriers). */
    TaskTime withCpu(double seconds) {
        return new TaskTime(wallSeconds, seconds, readySeconds);
    }

    /** Both runs' tasks together. */
    TaskTime plus(TaskTime other) {
        return new TaskTime(wallSeconds + other.wallSeconds, cpuSeconds + other.cpuSeconds,
                readySeconds + other.readySeconds);
    }

    boolean known() {
        return !Double.isNaN(cpuSeconds) && wallSeconds - readySeconds > 0;
    }

    /**
     * CPU seconds per second the tasks could run (their wall time less the time they waited for a core), between 0
     * and 1: near 1 they compute, near 0 they wait. NaN if unknown. CPU time measured over stretches of tiny tasks
     * also covers some bookkeeping, so it may exceed their wall time: that reads as 1.
     */
    double computing() {
        return known() ? Math.min(1, Math.max(0, cpuSeconds / (wallSeconds - readySeconds))) : Double.NaN;
    }

    /** The share of the tasks' wall time spent waiting for a core; 0 if nothing was measured. */
    double readyShare() {
        return wallSeconds > 0 ? readySeconds / wallSeconds : 0;
    }
}
