package dev.procpool.cli;

import dev.procpool.JobResult;
import dev.procpool.Mode;
import dev.procpool.ProcessPool;
import dev.procpool.ProcessPoolBuilder;
import dev.procpool.Runner;
import dev.procpool.SequentialRunner;
import dev.procpool.ThreadRunner;
import dev.procpool.VirtualThreadRunner;
import dev.procpool.job.Job;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs one job in each requested mode at each worker count, reporting each run as it finishes, and says whether
 * every run produced the same bits: sequential once, as the baseline, then threads, virtual threads and processes at
 * each count. All runs split the job into the same tasks. Not thread-safe: one comparison, one thread.
 */
final class Comparison {

    /** How long the last cost sample waits for workers elsewhere to report what they used. */
    private static final Duration FRESH_REPORT_WAIT = Duration.ofSeconds(1);

    private final Job<?, ?> job;
    private final long size;
    private final int tasks;
    private final boolean keepGoing;
    private final ProcessPoolBuilder pool;
    private final Report report;
    private final Progress progress;
    private final Consumer<String> notices;

    /** @param notices where the runners in this JVM say which task ended it, should one call System.exit */
    Comparison(Job<?, ?> job, long size, int tasks, boolean keepGoing, ProcessPoolBuilder pool, Report report,
            Progress progress, Consumer<String> notices) {
        this.job = job;
        this.size = size;
        this.tasks = tasks;
        this.keepGoing = keepGoing;
        this.pool = pool;
        this.report = report;
        this.progress = progress;
        this.notices = notices;
    }

    /**
     * What a comparison found.
     *
     * @param results every run, in the order run
     * @param match whether every run produced the same result
     */
    record Outcome(List<ModeResult> results, boolean match) {

        Outcome {
            results = List.copyOf(results);
        }
    }

    /**
     * Runs the modes at every worker count and returns everything measured.
     *
     * @throws dev.procpool.JobFailedException if a task failed
     * @throws dev.procpool.WorkerStartException if worker processes could not start
     */
    Outcome run(List<Mode> modes, List<Integer> workerCounts) {
        report.header(job.name(), size, job.taskCount(size, tasks), workerCounts);
        List<ModeResult> results = new ArrayList<>();
        ModeResult baseline = null;
        if (modes.contains(Mode.SEQUENTIAL)) {
            baseline = measure(Mode.SEQUENTIAL, 1, job);
            results.add(baseline);
            report.mode(baseline, baseline);
        }
        for (int workers : workerCounts) {
            for (Mode mode : List.of(Mode.THREADS, Mode.VIRTUAL, Mode.PROCESSES)) {
                if (modes.contains(mode)) {
                    ModeResult result = measure(mode, workers, job);
                    results.add(result);
                    report.mode(result, baseline);
                }
            }
        }
        boolean match = results.stream().map(ModeResult::result).distinct().count() <= 1;
        report.verdict(match, results.size(),
                Lesson.of(job.name(), results, Runtime.getRuntime().availableProcessors()));
        return new Outcome(results, match);
    }

    private <T, R> ModeResult measure(Mode mode, int workers, Job<T, R> job) {
        AtomicReference<ProcessPool> pooled = new AtomicReference<>();
        CostMeter meter = CostMeter.start(mode == Mode.PROCESSES ? new CostMeter.Workers(
                () -> pooled.get() == null ? List.of() : pooled.get().workerInfo(),
                () -> pooled.get() == null ? List.of() : pooled.get().workerInfo(FRESH_REPORT_WAIT),
                () -> pooled.get() == null ? List.of() : pooled.get().endedWorkerInfo())
                : null, mode == Mode.VIRTUAL);
        long start = System.nanoTime();
        Duration startup = Duration.ZERO;
        try (Runner runner = open(mode, workers)) {
            if (runner instanceof ProcessPool processes) {
                pooled.set(processes);
                startup = processes.startupTime();
            }
            JobResult<R> result = runner.run(job, size, tasks, keepGoing,
                    progress.start(mode.label() + " x" + workers));
            Duration wall = Duration.ofNanos(System.nanoTime() - start);
            CostMeter.Costs costs = meter.stop();
            TaskTime taskTime = TaskTime.of(result.usage());
            if (mode == Mode.VIRTUAL) {
                // The JVM does not measure a virtual thread's CPU time; its carriers ran nothing but these tasks.
                taskTime = taskTime.withCpu(costs.carrierCpuSeconds());
            }
            List<Placement> placement = pooled.get() == null ? List.of() : Placement.of(pooled.get().workerInfo());
            return new ModeResult(mode, runner.workers(), result.tasks(), wall, startup, costs.cpuSeconds(),
                    costs.peakMebibytes(), costs.peakThreads(), taskTime, result.formatted(), placement);
        } finally {
            meter.stop(); // stops the sampling when the run failed; after a success it is already stopped
            progress.finish();
        }
    }

    private Runner open(Mode mode, int workers) {
        return switch (mode) {
            case SEQUENTIAL -> new SequentialRunner(notices);
            case THREADS -> new ThreadRunner(workers, notices);
            case VIRTUAL -> new VirtualThreadRunner(workers, notices);
            case PROCESSES -> pool.workers(workers).start();
        };
    }
}
