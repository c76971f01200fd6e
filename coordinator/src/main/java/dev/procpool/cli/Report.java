package dev.procpool.cli;

import java.util.List;

/**
 * Prints a comparison as it runs: a header, one entry per run as each finishes, then whether the results match
 * and what the measurements say about the job. The only place the command line's report is written. Not
 * thread-safe: the main thread drives it.
 */
interface Report {

    void header(String job, long size, int tasks, List<Integer> workerCounts);

    /** One run's measurements; {@code baseline} is the sequential run, or null if there is none. */
    void mode(ModeResult result, ModeResult baseline);

    void verdict(boolean match, int runs, Lesson lesson);
}
