package dev.procpool.bench;

import dev.procpool.JobResult;
import dev.procpool.ProcessPool;
import dev.procpool.ProcessPoolBuilder;
import dev.procpool.Runner;
import dev.procpool.SequentialRunner;
import dev.procpool.ThreadRunner;
import dev.procpool.job.Job;

/**
 * A CPU-bound job on threads and on worker processes, against the same job run sequentially, repetition after
 * repetition so that every ratio compares runs made under the same conditions. Not thread-safe.
 */
final class CpuBench<T, R> {

    /** Wall times, in seconds, of one repetition at one worker count. */
    record Run(double sequential, double threads, double processesStartup, double processesRun,
            double residentMebibytes) {

        double processes() {
            return processesStartup + processesRun;
        }
    }

    private final Job<T, R> job;
    private final long size;
    private final ProcessPoolBuilder pool;

    /** {@code pool} holds the benchmark's pool settings; each run sets its worker count and starts a pool from it. */
    CpuBench(Job<T, R> job, long size, ProcessPoolBuilder pool) {
        this.job = job;
        this.size = size;
        this.pool = pool;
    }

    /** One repetition at {@code workers} workers and {@code tasks} tasks, with its own sequential baseline. */
    Run run(int workers, int tasks, double sequentialSeconds) {
        double sequential = Double.isNaN(sequentialSeconds) ? time(new SequentialRunner(), tasks) : sequentialSeconds;
        double threads;
        try (ThreadRunner runner = new ThreadRunner(workers)) {
            threads = time(runner, tasks);
        }
        try (ProcessPool processes = pool.workers(workers).start()) {
            double startup = processes.startupTime().toNanos() / 1e9;
            double run = time(processes, tasks);
            return new Run(sequential, threads, startup, run,
                    PoolBench.largestResidentMebibytes(processes.workerPids()));
        }
    }

    /** The sequential wall time alone, in seconds. */
    double sequential(int tasks) {
        return time(new SequentialRunner(), tasks);
    }

    private double time(Runner runner, int tasks) {
        long start = System.nanoTime();
        JobResult<R> result = runner.run(job, size, tasks);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (result.tasks() < 1) {
            throw new IllegalStateException("the job ran no task");
        }
        return seconds;
    }
}
