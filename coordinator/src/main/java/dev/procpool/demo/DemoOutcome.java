package dev.procpool.demo;

import java.net.URI;

/**
 * Both runs of the demo, with what they ran. Immutable.
 *
 * @param settings what was run
 * @param pages where the page server served the downloads (it is stopped by now)
 * @param sequential every task one after another on the calling thread
 * @param mixed every task on the executor that suits it
 * @param loadAverage the system's load average over the minute before the demo started (other programs' demand
 *                    for the cores); negative where the system does not say
 */
record DemoOutcome(DemoSettings settings, URI pages, RunResult sequential, RunResult mixed, double loadAverage) {

    /** The sequential run's wall time over the mixed run's. */
    double speedup() {
        return sequential.totalSeconds() / mixed.totalSeconds();
    }

    /** Whether every task produced the same outcome in both runs (the computes the same bits). */
    boolean outcomesMatch() {
        if (sequential.tasks().size() != mixed.tasks().size()) {
            return false;
        }
        for (int i = 0; i < sequential.tasks().size(); i++) {
            if (!sequential.tasks().get(i).outcome().equals(mixed.tasks().get(i).outcome())) {
                return false;
            }
        }
        return true;
    }
}
