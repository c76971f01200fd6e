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
 * @param result the exact combined result as text
 */
record ModeResult(Mode mode, int workers, int tasks, Duration wall, Duration startup, String result) {

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
}
