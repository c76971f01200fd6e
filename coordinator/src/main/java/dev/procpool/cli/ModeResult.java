package dev.procpool.cli;

import dev.procpool.Mode;
import java.time.Duration;

/**
 * What one mode of a comparison measured.
 *
 * @param mode where the tasks ran
 * @param workers how many tasks ran at once
 * @param tasks how many tasks the job was split into
 * @param wall wall time, start-up included
 * @param startup the start-up part of {@code wall}: zero except for processes
 * @param cpuSeconds CPU time used: this JVM's, plus the workers' for processes
 * @param taskCpuSeconds CPU time of the tasks alone where it is known (a sequential run's thread), else NaN
 * @param peakMebibytes peak resident memory: this JVM's, or for processes the workers' summed; NaN if unknown
 * @param result the exact combined result as text
 */
record ModeResult(Mode mode, int workers, int tasks, Duration wall, Duration startup, double cpuSeconds,
        double taskCpuSeconds, double peakMebibytes, String result) {

    double wallSeconds() {
        return wall.toNanos() / 1e9;
    }

    double startupSeconds() {
        return startup.toNanos() / 1e9;
    }

    /** Sequential wall time over this mode's, or NaN without a sequential baseline. */
    double speedup(ModeResult baseline) {
        return baseline == null ? Double.NaN : baseline.wallSeconds() / wallSeconds();
    }

    /** Speedup per worker: 1.0 is perfect use of every worker. */
    double efficiency(ModeResult baseline) {
        return speedup(baseline) / workers;
    }

    /**
     * CPU seconds used per wall second, per worker that has a core of its own: near 1 is busy computing, near 0
     * is mostly waiting. The tasks' own CPU time where known; else the whole run's, which also counts the JVM's
     * compiler and collector threads, so a short run can read above 1.
     */
    double busy() {
        double cpu = Double.isNaN(taskCpuSeconds) ? cpuSeconds : taskCpuSeconds;
        return cpu / wallSeconds() / Math.min(workers, Runtime.getRuntime().availableProcessors());
    }
}
