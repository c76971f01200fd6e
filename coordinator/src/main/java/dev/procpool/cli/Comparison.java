package dev.procpool.cli;

import dev.procpool.JobResult;
import dev.procpool.Mode;
import dev.procpool.ProcessPool;
import dev.procpool.ProcessPoolBuilder;
import dev.procpool.Runner;
import dev.procpool.SequentialRunner;
import dev.procpool.ThreadRunner;
import dev.procpool.job.Job;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one job in each requested mode, in order, reporting each as it finishes, and says whether every mode
 * produced the same bits. Not thread-safe: one comparison, one thread.
 */
final class Comparison {

    private final Job<?, ?> job;
    private final long size;
    private final int tasks;
    private final int workers;
    private final boolean keepGoing;
    private final ProcessPoolBuilder pool;
    private final Report report;

    Comparison(Job<?, ?> job, long size, int tasks, int workers, boolean keepGoing, ProcessPoolBuilder pool,
            Report report) {
        this.job = job;
        this.size = size;
        this.tasks = tasks;
        this.workers = workers;
        this.keepGoing = keepGoing;
        this.pool = pool;
        this.report = report;
    }

    /**
     * Runs the modes and returns whether all results match.
     *
     * @throws dev.procpool.JobFailedException if a task failed
     * @throws dev.procpool.WorkerStartException if worker processes could not start
     */
    boolean run(List<Mode> modes) {
        report.header(job.name(), size, job.taskCount(size, tasks), workers);
        List<ModeResult> results = new ArrayList<>();
        ModeResult baseline = null;
        for (Mode mode : modes) {
            ModeResult result = measure(mode, job);
            if (mode == Mode.SEQUENTIAL) {
                baseline = result;
            }
            results.add(result);
            report.mode(result, baseline);
        }
        boolean match = results.stream().map(ModeResult::result).distinct().count() <= 1;
        report.verdict(match, results.size());
        return match;
    }

    private <T, R> ModeResult measure(Mode mode, Job<T, R> job) {
        long start = System.nanoTime();
        Duration startup = Duration.ZERO;
        try (Runner runner = open(mode)) {
            if (runner instanceof ProcessPool processes) {
                startup = processes.startupTime();
            }
            JobResult<R> result = runner.run(job, size, tasks, keepGoing);
            Duration wall = Duration.ofNanos(System.nanoTime() - start);
            return new ModeResult(mode, runner.workers(), result.tasks(), wall, startup, result.formatted());
        }
    }

    private Runner open(Mode mode) {
        return switch (mode) {
            case SEQUENTIAL -> new SequentialRunner();
            case THREADS -> new ThreadRunner(workers);
            case PROCESSES -> pool.workers(workers).start();
        };
    }
}
