package dev.procpool.bench;

import dev.procpool.ProcessPool;
import dev.procpool.ProcessPoolBuilder;
import dev.procpool.ThreadRunner;
import dev.procpool.WorkerOutput;
import dev.procpool.cli.options.Checks;
import dev.procpool.cli.options.WholeNumbers;
import dev.procpool.cli.LauncherScope;
import dev.procpool.cli.options.LauncherOptions;
import dev.procpool.cli.options.WorkerJarOption;
import dev.procpool.spi.WorkerLauncher;
import java.util.function.Consumer;
import dev.procpool.jobs.MandelbrotJob;
import dev.procpool.jobs.SqrtJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code procpool bench}: measures, in one run, procpool against this machine's own limits and against threads,
 * and checks the project's performance bars. One instance per invocation.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Measures procpool against this machine's own limits and against threads, and checks the "
                    + "project's bars: a. the pipe's limit (the worker jar echoing), b. per-task overhead "
                    + "(noop job), c. start-up of two workers, d. CPU-bound jobs (sqrt; mandelbrot's uneven tasks), "
                    + "e. worker memory; with --hosts or --slurm, f. the pipe's limit and per-task overhead through "
                    + "that launcher; g. a large array shared with many tasks, against threads. Medians of the "
                    + "repetitions; exits 0 when it ran, whatever the bars."
        })
public final class BenchCommand implements Callable<Integer> {

    /** The start-up bar is on this many workers, whatever {@code --workers} says: two ready within 1.5 bare JVMs. */
    private static final int STARTUP_WORKERS = 2;
    /** The sharing bar is on this many workers, whatever {@code --workers} says. */
    private static final int SHARING_WORKERS = 2;
    /** The shared array of section g: 50 MB of doubles. */
    private static final int SHARED_DOUBLES = 50 * 1024 * 1024 / Double.BYTES;
    /** The tasks that read it. */
    private static final int SHARED_TASKS = 100;

    @Spec
    private CommandSpec spec;

    @Option(names = "--workers", paramLabel = "N",
            description = "Workers for the pool and the pipelined echo. Default: available processors; in section f, "
                    + "every worker the launcher has room for.")
    private Integer workersOption;
    private int workers;

    @Option(names = "--repetitions", paramLabel = "N", defaultValue = "5",
            description = "Repetitions of each measurement; the median is reported. Default: ${DEFAULT-VALUE}.")
    private int repetitions;

    @Option(names = "--noop-tasks", paramLabel = "N", defaultValue = "200000", converter = WholeNumbers.class,
            description = "No-op tasks per throughput run. Default: ${DEFAULT-VALUE}.")
    private long noopTasks;

    @Option(names = "--sqrt-size", paramLabel = "N", defaultValue = "1e9", converter = WholeNumbers.class,
            description = "Size of the sqrt job. Default: ${DEFAULT-VALUE} (the job's default).")
    private long sqrtSize;

    @Option(names = "--mandelbrot-size", paramLabel = "N", defaultValue = "2000", converter = WholeNumbers.class,
            description = "Size of the mandelbrot job. Default: ${DEFAULT-VALUE} (the job's default).")
    private long mandelbrotSize;

    @Option(names = "--json", description = "One JSON object per measurement instead of the table.")
    private boolean json;

    @Mixin
    private WorkerJarOption workerJar;

    @Mixin
    private LauncherOptions launchers;

    private final PrintWriter out;
    private final PrintWriter err;
    private final List<Measurement> measurements = new ArrayList<>();
    private BenchReport report;

    public BenchCommand(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        Checks checks = new Checks(spec);
        workers = workersOption != null ? workersOption : Runtime.getRuntime().availableProcessors();
        checks.workerProcesses("--workers", workers);
        checks.range("--repetitions", repetitions, 1, 1000);
        checks.range("--noop-tasks", noopTasks, 1, 10_000_000);
        checks.size("--sqrt-size", new SqrtJob(), sqrtSize, 2);
        checks.size("--mandelbrot-size", new MandelbrotJob(), mandelbrotSize, 1);
        Path jar = workerJar.resolve();
        Consumer<String> notices = notice -> err.println("procpool: " + notice);
        WorkerLauncher launcher = launchers.launcher(workers, notices);
        ProcessPoolBuilder pool = ProcessPool.builder().workerJar(jar).workerOutput(WorkerOutput.discard())
                .notices(notices);
        if (launcher == null) {
            return run(pool, jar, null);
        }
        try (LauncherScope scope = LauncherScope.open(launcher, pool, notices)) {
            return run(pool, jar, new Elsewhere(launcher, scope.describe()));
        }
    }

    /** A launcher that starts workers elsewhere, and where, in words. */
    private record Elsewhere(WorkerLauncher launcher, String where) {
    }

    private int run(ProcessPoolBuilder pool, Path jar, Elsewhere elsewhere) throws Exception {
        report = json ? BenchReport.json(out) : BenchReport.table(out);
        report.header(String.format(Locale.ROOT, "procpool bench: %d workers, %d cores, %d repetitions, Java %s",
                workers, Runtime.getRuntime().availableProcessors(), repetitions, System.getProperty("java.version")));

        PipeBench pipe = PipeBench.of(pool.workers(workers).build().workerCommand(0), jar);
        report.section("a. the pipe's limit (the worker jar echoing 8-byte messages: no framing, no Kryo)");
        Samples pingPong = record(Measurement.of("a", "pipe.pingpong", "ping-pong round trip", "us",
                pipe.pingPong(repetitions)));
        Samples pipelined = record(Measurement.of("a", "pipe.pipelined", "pipelined round trips, " + workers + " workers",
                "/s", pipe.pipelined(workers, repetitions)));

        report.section("b. per-task overhead (noop job, default settings)");
        try (ProcessPool pooled = pool.workers(workers).start()) {
            Samples roundTrip = PoolBench.roundTrip(pooled, repetitions);
            record(new Measurement("b", "task.roundtrip", "one task at a time, round trip", "us", roundTrip,
                    roundTrip.medianOver(pingPong), "ping-pong", Bar.ratioAtMost(2.0)));
            Samples throughput = PoolBench.throughput(pooled, (int) noopTasks, repetitions);
            record(new Measurement("b", "task.throughput", String.format(Locale.ROOT, "%,d tasks through the pool", noopTasks),
                    "tasks/s", throughput, throughput.medianOver(pipelined), "pipelined", Bar.ratioAtLeast(0.5)));
        }

        report.section("c. start-up (a bare JVM, then a pool of " + STARTUP_WORKERS + " workers, in each repetition)");
        PoolBench.Startup startup = PoolBench.startup(pipe, pool.workers(STARTUP_WORKERS), repetitions);
        Samples bare = record(Measurement.of("c", "startup.bare", "one bare JVM (start to first byte)", "ms",
                startup.bareMillis()));
        record(new Measurement("c", "startup.pool", STARTUP_WORKERS + " workers ready", "ms", startup.poolMillis(),
                startup.poolMillis().dividedBy(bare), "one bare JVM", Bar.ratioAtMost(1.5)));

        int tasks = 4 * workers;
        Samples afterSqrt = sqrt(pool, tasks);
        mandelbrot(pool, tasks);

        report.section("e. memory (resident set of a worker, the largest of the pool)");
        record(new Measurement("e", "memory.idle", "idle worker", "MiB", startup.idleMebibytes(), null, null,
                Bar.valueAtMost(48)));
        record(Measurement.of("e", "memory.sqrt", "after the sqrt job", "MiB", afterSqrt));

        if (elsewhere != null) {
            throughLauncher(pool, elsewhere);
        }
        shared(pool);

        // A benchmark reports; a missed bar is a finding, not a failure to run: the last line counts them.
        report.summary(measurements);
        return 0;
    }

    /**
     * Section f: the pipe's limit through the launcher (the worker jar echoing, started as the launcher starts
     * workers), and the pool's per-task overhead through the same launcher, against it.
     */
    private void throughLauncher(ProcessPoolBuilder pool, Elsewhere elsewhere) throws Exception {
        WorkerLauncher launcher = elsewhere.launcher();
        int count = workersOption != null ? Math.min(workersOption, launcher.capacity()) : launcher.capacity();
        report.section("f. through the launcher: workers " + elsewhere.where() + ", " + count + " of them");
        PipeBench pipe = PipeBench.through(launcher, pool.workers(count).build().workerCommand(0));
        Samples pingPong = record(Measurement.of("f", "launcher.pingpong", "echo ping-pong round trip", "us",
                pipe.pingPong(repetitions)));
        Samples pipelined = record(Measurement.of("f", "launcher.pipelined", "pipelined echo round trips, " + count
                + " workers", "/s", pipe.pipelined(count, repetitions)));
        try (ProcessPool pooled = pool.workers(count).launcher(launcher).start()) {
            Samples roundTrip = PoolBench.roundTrip(pooled, repetitions);
            record(new Measurement("f", "launcher.task.roundtrip", "one task at a time, round trip", "us", roundTrip,
                    roundTrip.medianOver(pingPong), "echo ping-pong", Bar.ratioAtMost(1.5)));
            Samples throughput = PoolBench.throughput(pooled, (int) noopTasks, repetitions);
            record(new Measurement("f", "launcher.task.throughput", String.format(Locale.ROOT,
                    "%,d tasks through the pool", noopTasks), "tasks/s", throughput,
                    throughput.medianOver(pipelined), "pipelined echo", Bar.ratioAtLeast(0.5)));
        }
    }

    /**
     * Section g: a 50 MB {@code double[]} shared with 100 tasks that each read all of it, on threads and in a pool of
     * two workers, from sharing it to the last output, side by side in each repetition (after one of each unmeasured,
     * which warms both up). The pool is started before and is not timed; each run shares the array anew.
     */
    private void shared(ProcessPoolBuilder pool) {
        SharedBench bench = new SharedBench(SHARED_DOUBLES, SHARED_TASKS);
        report.section(String.format(Locale.ROOT, "g. shared data: a %,d-byte double[] shared, then read whole by %d "
                + "tasks, %d workers (from share to the last output)", bench.bytes(), SHARED_TASKS, SHARING_WORKERS));
        List<SharedBench.Run> runs = new ArrayList<>();
        try (ThreadRunner threads = new ThreadRunner(SHARING_WORKERS);
                // Local workers, as in sections a-e: section f set the builder's launcher, which shares arrays inline.
                ProcessPool pooled = pool.workers(SHARING_WORKERS).launcher(WorkerLauncher.local()).start()) {
            bench.run(threads, pooled);
            for (int r = 0; r < repetitions; r++) {
                runs.add(bench.run(threads, pooled));
            }
        }
        Samples threads = record(Measurement.of("g", "shared.threads", "threads", "s",
                new Samples(runs.stream().mapToDouble(SharedBench.Run::threadSeconds).toArray())));
        Samples processes = new Samples(runs.stream().mapToDouble(SharedBench.Run::processSeconds).toArray());
        record(new Measurement("g", "shared.processes", "processes, shared once per worker", "s", processes,
                processes.dividedBy(threads), "threads", Bar.ratioAtMost(1.5)));
        record(new Measurement("g", "shared.sent", "written to the workers in the run", "MiB",
                new Samples(runs.stream().mapToDouble(run -> run.bytesSent() / (1024.0 * 1024)).toArray()), null,
                null, Bar.valueAtMost(SHARING_WORKERS * bench.bytes() / (1024.0 * 1024))));
    }

    /** Section d's sqrt runs; returns the workers' resident size after them, which section e reports. */
    private Samples sqrt(ProcessPoolBuilder pool, int tasks) {
        report.section(String.format(Locale.ROOT, "d. CPU-bound: sqrt, size %,d, %d tasks, %d workers", sqrtSize, tasks,
                workers));
        CpuBench<?, ?> sqrt = new CpuBench<>(new SqrtJob(), sqrtSize, pool);
        List<List<CpuBench.Run>> byWorkers = new ArrayList<>();
        for (int k = 0; k < workers; k++) {
            byWorkers.add(new ArrayList<>());
        }
        for (int r = 0; r < repetitions; r++) {
            double sequential = sqrt.sequential(tasks);
            for (int k = 1; k <= workers; k++) {
                byWorkers.get(k - 1).add(sqrt.run(k, tasks, sequential));
            }
        }
        List<CpuBench.Run> full = byWorkers.get(workers - 1);
        Samples threads = record(Measurement.of("d", "sqrt.threads", "threads", "s", samples(full, CpuBench.Run::threads)));
        Samples withStartup = samples(full, CpuBench.Run::processes);
        record(new Measurement("d", "sqrt.processes", "processes, start-up included", "s", withStartup,
                withStartup.dividedBy(threads), "threads", Bar.ratioAtMost(1.10)));
        Samples withoutStartup = samples(full, CpuBench.Run::processesRun);
        record(new Measurement("d", "sqrt.processes.run", "processes, start-up excluded", "s", withoutStartup,
                withoutStartup.dividedBy(threads), "threads", Bar.ratioAtMost(1.03)));
        for (int k = 1; k <= workers; k++) {
            List<CpuBench.Run> runs = byWorkers.get(k - 1);
            record(Measurement.of("d", "sqrt.speedup.threads." + k, "speedup over sequential, threads x" + k, "x",
                    samples(runs, run -> run.sequential() / run.threads())));
            record(Measurement.of("d", "sqrt.speedup.processes." + k, "speedup over sequential, processes x" + k, "x",
                    samples(runs, run -> run.sequential() / run.processes())));
        }
        return samples(full, CpuBench.Run::residentMebibytes);
    }

    /** Section d's mandelbrot runs: uneven tasks. */
    private void mandelbrot(ProcessPoolBuilder pool, int tasks) {
        report.section(String.format(Locale.ROOT,
                "d. uneven tasks: parallel efficiency of mandelbrot, size %,d, %d tasks, %d workers",
                mandelbrotSize, tasks, workers));
        CpuBench<?, ?> mandelbrot = new CpuBench<>(new MandelbrotJob(), mandelbrotSize, pool);
        List<CpuBench.Run> uneven = new ArrayList<>();
        for (int r = 0; r < repetitions; r++) {
            uneven.add(mandelbrot.run(workers, tasks, Double.NaN));
        }
        Samples threadEfficiency = record(Measurement.of("d", "mandelbrot.efficiency.threads",
                "threads", "", samples(uneven, run -> run.sequential() / run.threads() / workers)));
        Samples processEfficiency = samples(uneven, run -> run.sequential() / run.processes() / workers);
        record(new Measurement("d", "mandelbrot.efficiency.processes", "processes, start-up included", "",
                processEfficiency, processEfficiency.dividedBy(threadEfficiency), "threads' efficiency",
                Bar.ratioAtLeast(0.9)));
    }

    private Samples record(Measurement measurement) {
        measurements.add(measurement);
        report.measurement(measurement);
        return measurement.samples();
    }

    private static Samples samples(List<CpuBench.Run> runs, ToDoubleFunction<CpuBench.Run> value) {
        return new Samples(runs.stream().mapToDouble(value).toArray());
    }
}
