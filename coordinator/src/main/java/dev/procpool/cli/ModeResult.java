package dev.procpool.cli;

import dev.procpool.Mode;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * What one mode of a comparison measured. Immutable.
 *
 * @param mode where the tasks ran
 * @param workers how many tasks ran at once
 * @param tasks how many tasks the job was split into
 * @param wall wall time, start-up included
 * @param startup the start-up part of {@code wall}: zero except for processes
 * @param cpuSeconds CPU time used: this JVM's, plus the workers' for processes
 * @param peakMebibytes peak resident memory: this JVM's, or for processes the workers' summed; NaN if unknown
 * @param peakThreads peak OS threads: this JVM's, or for processes the workers' summed; empty if unknown
 * @param taskTime what the tasks themselves used, on the threads that ran them
 * @param result the exact combined result as text
 * @param placement for processes, where the workers ran; empty otherwise
 */
record ModeResult(Mode mode, int workers, int tasks, Duration wall, Duration startup, double cpuSeconds,
        double peakMebibytes, OptionalInt peakThreads, TaskTime taskTime, String result, List<Placement> placement) {

    ModeResult {
        placement = List.copyOf(placement);
    }

    /** A run with no worker processes to place. */
    ModeResult(Mode mode, int workers, int tasks, Duration wall, Duration startup, double cpuSeconds,
            double peakMebibytes, OptionalInt peakThreads, TaskTime taskTime, String result) {
        this(mode, workers, tasks, wall, startup, cpuSeconds, peakMebibytes, peakThreads, taskTime, result,
                List.of());
    }

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

    /** {@code sequential}, or the mode and its workers: {@code threads x8}. */
    String label() {
        return mode == Mode.SEQUENTIAL ? mode.label() : mode.label() + " x" + workers;
    }
}
