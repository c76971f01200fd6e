package dev.procpool.cli;

import dev.procpool.JobFailedException;
import dev.procpool.JobNotSendableException;
import dev.procpool.Mode;
import dev.procpool.ProcPoolException;
import dev.procpool.ProcessPool;
import dev.procpool.ProcessPoolBuilder;
import dev.procpool.ProcessPoolConfig;
import dev.procpool.TaskError;
import dev.procpool.UserClasspath;
import dev.procpool.WorkerOutput;
import dev.procpool.WorkerStartException;
import dev.procpool.job.Job;
import dev.procpool.cli.options.Checks;
import dev.procpool.cli.options.Durations;
import dev.procpool.cli.options.LauncherOptions;
import dev.procpool.cli.options.WholeNumbers;
import dev.procpool.cli.options.WorkerJarOption;
import dev.procpool.job.JobRegistry;
import dev.procpool.spi.WorkerLauncher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** The {@code procpool} command: options, their checks, and the run. One instance per invocation. */
@Command(
        name = "procpool",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Runs a job, split into tasks, in worker JVMs (one per worker), on threads, on "
                    + "virtual threads, and sequentially, and compares them: wall time, start-up, "
                    + "CPU, memory, threads, speedup, and whether the results match bit for bit."
        },
        footer = {
            "",
            "Examples:",
            "  ./run.sh --workers=8",
            "      compare all three ways on the sqrt job",
            "  ./run.sh --workers=1..4 --chart=speedup.png",
            "      compare at 1, 2, 3 and 4 workers and draw the speedups",
            "  ./run.sh --job=sleep --workers=1,2,8",
            "      a job that waits gains from more threads than cores",
            "  ./run.sh --job=sleep --size=1e4 --tasks=1e4 --mode=virtual --workers=10000",
            "      10,000 waits at once, on virtual threads",
            "  ./run.sh --size=2e8 --json",
            "      one JSON object per run, then the verdict",
            "  ./run.sh --mode=processes --task-timeout=30s --retries=1 --keep-going",
            "      worker processes with a time limit per task",
            "  ./run.sh --classpath=my-jobs.jar --job=collatz",
            "      run a job of your own (./run.sh --list-jobs lists them)",
            "  ./run.sh bench",
            "      measure procpool against this machine's own limits",
            "",
            "Exit status: 0 success; 1 a task failed, workers could not start, results",
            "differ or the chart could not be written; 2 usage error; 130 or 143 when",
            "stopped by SIGINT or SIGTERM (the workers are stopped first)."
        })
final class ProcpoolCommand implements Callable<Integer> {

    /** The most tasks one run may be split into. */
    static final long MAX_TASKS = 10_000_000;
    private static final int TASKS_PER_WORKER = 4;
    /** Runs shorter than this show no progress bar. */
    private static final long PROGRESS_DELAY_MILLIS = 1_000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--workers", paramLabel = "N",
            description = "Workers (threads, virtual threads, or worker JVMs) to run at once: up to 256 worker JVMs, "
                    + "10000 threads, 100000 virtual threads; a list (1,2,4,8) or a range (1..8) compares the modes at "
                    + "each count. Default: available processors (with --slurm inside an allocation: its task count).")
    private String workersText;

    @Option(names = "--chart", paramLabel = "FILE",
            description = "Draw speedup against workers for threads, virtual threads and processes, with the ideal "
                    + "line, to FILE (.png or .svg); most telling with a list or range of --workers.")
    private Path chart;

    @Option(names = "--job", paramLabel = "NAME", defaultValue = "sqrt",
            description = "The job to run (see --list-jobs). Default: ${DEFAULT-VALUE}.")
    private String jobName;

    @Option(names = "--size", paramLabel = "N", converter = WholeNumbers.class,
            description = "The job's size (1e9, 2_000_000 and 1000 all work). Default: the job's own.")
    private Long size;

    @Option(names = "--tasks", paramLabel = "N", converter = WholeNumbers.class,
            description = "Tasks to split the job into. Default: " + TASKS_PER_WORKER + " per worker.")
    private Long tasks;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "compare",
            description = "compare (sequential, threads, virtual, processes), processes, threads, virtual or "
                    + "sequential. Default: ${DEFAULT-VALUE}.")
    private String mode;

    @Option(names = "--json", description = "Print one JSON object per run, then one with match, workload "
            + "and advice; no progress bar.")
    private boolean json;

    @Option(names = "--jvm-arg", paramLabel = "ARG",
            description = "An argument for every worker JVM, e.g. --jvm-arg=-Xmx512m. Repeatable.")
    private List<String> jvmArgs = new ArrayList<>();

    @Mixin
    private WorkerJarOption workerJar;

    @Mixin
    private LauncherOptions launchers;

    @Option(names = "--classpath", paramLabel = "PATHS", split = "${sys:path.separator}",
            description = "Jars (or directories) holding your own jobs, for this JVM and every worker; separate them "
                    + "with '${sys:path.separator}' or repeat the option.")
    private List<Path> classpath = new ArrayList<>();

    @Option(names = "--list-jobs", description = "List the jobs (with --classpath, yours too) and exit.")
    private boolean listJobs;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "2",
            description = "Times a task runs again after the worker computing it died. Default: ${DEFAULT-VALUE}.")
    private int retries;

    @Option(names = "--task-timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "Time limit per task (500ms, 30s, 2m) in the processes mode: past it the worker is killed "
                    + "and the task fails. The other modes cannot stop a task and do not apply it. Default: none.")
    private Duration taskTimeout;

    @Option(names = "--heartbeat-timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "How long a worker may leave a heartbeat unanswered before it counts as lost: killed, its "
                    + "task run again. Default: 5s.")
    private Duration heartbeatTimeout = ProcessPoolConfig.DEFAULT_HEARTBEAT_TIMEOUT;

    @Option(names = "--keep-going",
            description = "When a task fails, finish the others and report every failure (default: stop at the first).")
    private boolean keepGoing;

    @Option(names = "--max-tasks-per-worker", paramLabel = "N", defaultValue = "0",
            description = "Replace a worker with a fresh JVM after N tasks. Default: 0 (never).")
    private int maxTasksPerWorker;

    private final PrintWriter out;
    private final PrintWriter err;

    ProcpoolCommand(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        for (Path entry : classpath) {
            if (!Files.exists(entry)) {
                throw usage("--classpath entry " + entry + " does not exist");
            }
        }
        JobRegistry registry = jobs();
        if (listJobs) {
            new JobList(out).print(registry);
            return Main.OK;
        }
        Job<?, ?> job = job(registry);
        List<Mode> modes = modes();
        List<Integer> givenWorkers = workersText == null ? null : workerCounts();
        Checks checks = new Checks(spec);
        long jobSize = size != null ? size : job.defaultSize();
        checks.size("--size", job, jobSize, 1);
        if (tasks != null) {
            checks.range("--tasks", tasks, 1, MAX_TASKS);
        }
        checks.retries("--retries", retries);
        if (heartbeatTimeout.compareTo(ProcessPoolConfig.MIN_HEARTBEAT_TIMEOUT) < 0) {
            throw usage("--heartbeat-timeout must be at least " + ProcessPoolConfig.MIN_HEARTBEAT_TIMEOUT.toMillis()
                    + "ms, got " + heartbeatTimeout.toMillis() + "ms");
        }
        if (maxTasksPerWorker < 0) {
            throw usage("--max-tasks-per-worker must be 0 (no limit) or more, got " + maxTasksPerWorker);
        }
        if (chart != null && SpeedupChart.format(chart) == null) {
            throw usage("--chart must name a .png or .svg file, got " + chart);
        }
        // The chart divides each parallel run's wall time by the sequential one's: it needs both.
        boolean parallel = modes.stream().anyMatch(m -> m != Mode.SEQUENTIAL);
        if (chart != null && !(modes.contains(Mode.SEQUENTIAL) && parallel)) {
            throw usage("--chart draws speedup over the sequential run: use it with --mode=compare");
        }
        Consumer<String> notices = message -> {
            err.println("procpool: " + message);
            err.flush();
        };
        int wanted = givenWorkers == null ? Runtime.getRuntime().availableProcessors()
                : givenWorkers.get(givenWorkers.size() - 1);
        WorkerLauncher launcher = launchers.launcher(wanted, heartbeatTimeout, notices);
        if (launcher != null && !modes.contains(Mode.PROCESSES)) {
            throw usage(launchers.name() + " runs worker processes: use it with --mode=processes or --mode=compare");
        }
        if (givenWorkers == null && launchers.requestsSlurmAllocation()) {
            // This machine's cores say little about the cluster's: the count asked for must not be a surprise.
            notices.accept("--slurm asks for an allocation of " + wanted + " tasks, one per available processor of "
                    + "this machine; set --workers to ask for another count");
        }
        if (givenWorkers != null) {
            checkLimits(modes, givenWorkers);
        }

        ProcessPoolBuilder pool = ProcessPool.builder()
                .classpath(classpath)
                .jvmArgs(jvmArgs)
                .retries(retries)
                .taskTimeout(taskTimeout)
                .heartbeatTimeout(heartbeatTimeout)
                .maxTasksPerWorker(maxTasksPerWorker)
                .workerOutput(prefixed(err))
                .notices(notices);
        if (launchers.elsewhere()) {
            // The start-up cache is made for this machine's JVM and disk: workers elsewhere start without it, so the
            // check below must not spend a training run making one.
            pool.aotCacheDirectory(null);
        }
        if (modes.contains(Mode.PROCESSES)) {
            // Before any mode runs: a worker jar, a job or JVM arguments that cannot work must not cost the user the
            // other runs first.
            pool.workerJar(workerJar.resolve());
            try {
                ProcessPool.checkSendable(job);
                pool.check();
            } catch (JobNotSendableException | IllegalArgumentException e) {
                err.println("procpool: " + e.getMessage());
                err.flush();
                return Main.FAILED;
            }
        }
        if (launcher == null) {
            return compare(job, jobSize, modes, givenWorkers == null ? List.of(wanted) : givenWorkers, pool, notices);
        }
        // The launcher lives for the whole command: every pool of a sweep places its workers through it.
        LauncherScope scope = LauncherScope.open(launcher, pool, notices);
        try {
            List<Integer> workers = givenWorkers == null ? List.of(launcher.capacity()) : givenWorkers;
            int most = workers.get(workers.size() - 1);
            if (most > launcher.capacity()) {
                throw new WorkerStartException("--workers asks for " + most + " worker processes, but there is room "
                        + "for " + launcher.capacity() + " " + scope.describe() + "; ask for fewer, or for more on "
                        + "each host (--hosts=DEST:N) or in the allocation");
            }
            checkLimits(modes, workers);
            return compare(job, jobSize, modes, workers, pool.launcher(launcher), notices);
        } finally {
            scope.close();
        }
    }

    private void checkLimits(List<Mode> modes, List<Integer> workers) {
        String tooMany = WorkerCounts.checkLimits(modes, workers.get(workers.size() - 1));
        if (tooMany != null) {
            throw usage(tooMany);
        }
    }

    /** Runs the comparison, writes the chart, and says how it went as an exit code. */
    private int compare(Job<?, ?> job, long jobSize, List<Mode> modes, List<Integer> workers,
            ProcessPoolBuilder pool, Consumer<String> notices) {
        // One split for every run, so all of them combine the same partial results into the same bits.
        long taskCount = tasks != null ? tasks : (long) TASKS_PER_WORKER * workers.get(workers.size() - 1);
        new Checks(spec).range("--tasks", taskCount, 1, MAX_TASKS);
        Report report = json ? new JsonReport(out) : new TableReport(out);
        Progress progress = !json && Progress.stderrIsTerminal() ? Progress.on(err, PROGRESS_DELAY_MILLIS) : Progress.none();
        try {
            Comparison.Outcome outcome = new Comparison(job, jobSize, (int) taskCount, keepGoing, pool, report,
                    progress, notices).run(modes, workers);
            if (chart != null) {
                writeChart(job.name(), outcome.results());
            }
            return outcome.match() ? Main.OK : Main.FAILED;
        } catch (JobFailedException e) {
            printFailure(e);
            return Main.FAILED;
        }
    }

    private void writeChart(String jobName, List<ModeResult> results) {
        try {
            SpeedupChart.write(chart, jobName, results);
            err.println("procpool: drew the speedup chart in " + chart);
        } catch (IOException e) {
            throw new ProcPoolException("cannot write the chart to " + chart + ": " + e.getMessage());
        }
        err.flush();
    }

    /** The built-in jobs and, with --classpath, the user's, through one class loader shared with the pool. */
    private JobRegistry jobs() {
        try {
            return classpath.isEmpty() ? JobRegistry.loadDefault() : JobRegistry.load(UserClasspath.loader(classpath));
        } catch (IllegalStateException e) {
            throw new WorkerStartException("cannot load the jobs on --classpath: " + e.getMessage());
        }
    }

    /** The job named by {@code --job}; a usage error naming the known jobs if there is none. */
    private Job<?, ?> job(JobRegistry registry) {
        try {
            return registry.get(jobName);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private List<Integer> workerCounts() {
        if (workersText == null) {
            return List.of(Runtime.getRuntime().availableProcessors());
        }
        try {
            return WorkerCounts.parse(workersText);
        } catch (TypeConversionException e) {
            throw usage("--workers: " + e.getMessage());
        }
    }

    private List<Mode> modes() {
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "compare" -> List.of(Mode.SEQUENTIAL, Mode.THREADS, Mode.VIRTUAL, Mode.PROCESSES);
            case "processes" -> List.of(Mode.PROCESSES);
            case "threads" -> List.of(Mode.THREADS);
            case "virtual" -> List.of(Mode.VIRTUAL);
            case "sequential" -> List.of(Mode.SEQUENTIAL);
            default -> throw usage("--mode must be compare, processes, threads, virtual or sequential, got '" + mode
                    + "'");
        };
    }

    private void printFailure(JobFailedException e) {
        err.println("procpool: " + e.getMessage());
        for (TaskError failure : e.failures().subList(1, e.failures().size())) {
            err.println("  also " + failure.describe());
        }
        Throwable cause = e.failures().get(0).cause();
        if (cause.getCause() != null) {
            err.println("stack trace of the failed task:");
            TaskTrace.print(cause.getCause(), err);
        }
        err.flush();
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static WorkerOutput prefixed(PrintWriter err) {
        return (workerId, line) -> {
            err.println("[worker " + workerId + "] " + line);
            err.flush();
        };
    }
}
