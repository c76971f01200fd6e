package dev.procpool.cli;

/**
 * Prints a comparison as it runs: a header, one entry per mode as each finishes, then whether the results
 * match. The only place the command line's report is written. Not thread-safe: the main thread drives it.
 */
interface Report {

    void header(String job, long size, int tasks, int workers);

    /** One mode's measurements; {@code baseline} is the sequential result, or null if it has not run. */
    void mode(ModeResult result, ModeResult baseline);

    void verdict(boolean match, int modes);
}
