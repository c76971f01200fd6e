package dev.procpool;

/**
 * Hears how far a job run has got: called with the number of tasks done (folded into the result, in order) and
 * the total, each time that number grows. Called from whichever thread settles a task, with the run's lock held,
 * so implementations must be thread-safe and quick (store the numbers; render elsewhere).
 */
@FunctionalInterface
public interface ProgressListener {

    /** Hears nothing. */
    ProgressListener NONE = (done, total) -> { };

    void progress(int done, int total);
}
