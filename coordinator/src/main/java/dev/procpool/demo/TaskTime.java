package dev.procpool.demo;

/**
 * What one task did in one run, as measured. Immutable.
 *
 * @param task the task
 * @param executor where it ran: {@code this thread} in the sequential run, its kind's executor in the mixed run
 * @param seconds in the sequential run its own duration; in the mixed run the time from the run's start until it
 *                ended, since every task is handed over at that start (the computes once the pool is up)
 * @param cpuSeconds the CPU time its thread used on it, measured on that thread; NaN where it was not measured
 *                   (the mixed run's tasks)
 * @param thread the thread that ran it, or that completed it for an asynchronous download; {@code worker process}
 *               for a compute in the pool
 * @param virtual whether that thread was a virtual thread
 * @param outcome what the task produced, the same in both runs: the computed sum, the bytes downloaded, the waits
 */
record TaskTime(DemoTask task, String executor, double seconds, double cpuSeconds, String thread, boolean virtual,
        String outcome) {
}
