package dev.procpool.demo;

import dev.procpool.ProcessPool;
import dev.procpool.ProcessPoolBuilder;
import dev.procpool.cli.options.Checks;
import dev.procpool.cli.options.WholeNumbers;
import dev.procpool.cli.options.WorkerJarOption;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code procpool demo}: the classic concurrency demo's eleven tasks, one after another and then each on the
 * executor that suits it, with both times and what they teach. One instance per invocation.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "The classic concurrency demo: eleven tasks one after another, then each on the executor that suits it.",
            "",
            "Three CPU-bound computes, two asynchronous and two blocking downloads from a page server the demo "
                    + "starts on 127.0.0.1, and four tasks that each wait 1,000 times 1 ms. First every task one after "
                    + "another on this thread; then all at once: the computes in worker processes, the asynchronous "
                    + "downloads through HttpClient.sendAsync, the blocking ones on platform threads, the waits on "
                    + "virtual threads. Prints each task's time in both runs, the totals (the process pool's start-up "
                    + "and shutdown count in the mixed one) and what they show."
        },
        footer = {
            "",
            "Examples:",
            "  ./run.sh demo",
            "      the demo as the classic ran it (about 7 s one after another)",
            "  ./run.sh demo --turns=1e7",
            "      computes as short as the classic's loop is in Java: processes do not pay",
            "  ./run.sh demo --workers=3 --json",
            "      a worker per compute, one JSON object per task, then the totals",
            "",
            "Exit status: 0 the demo ran and both runs produced the same outcomes; 1 a task",
            "failed, workers could not start, or the outcomes differ; 2 usage error."
        })
public final class DemoCommand implements Callable<Integer> {

    private static final long MAX_TURNS = 1_000_000_000_000L;
    private static final int MAX_WAITS = 100_000;
    private static final long MAX_LATENCY_MILLIS = 60_000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--workers", paramLabel = "N",
            description = "Worker processes for the computes. Default: available processors (${DEFAULT-VALUE}).")
    private int workers = Runtime.getRuntime().availableProcessors();

    @Option(names = "--turns", paramLabel = "N", converter = WholeNumbers.class, defaultValue = "2e8",
            description = "Turns of each compute's loop, sqrt(25**25 + .01) once per turn. Default: ${DEFAULT-VALUE},"
                    + " about as long as the classic's 1e7 turns take CPython.")
    private long turns;

    @Option(names = "--waits", paramLabel = "N", converter = WholeNumbers.class, defaultValue = "1000",
            description = "1 ms waits each waiting task makes, one after another. Default: ${DEFAULT-VALUE}.")
    private long waits;

    @Option(names = "--latency-ms", paramLabel = "MS", converter = WholeNumbers.class, defaultValue = "200",
            description = "Milliseconds the page server waits before it answers a download. Default: "
                    + "${DEFAULT-VALUE}.")
    private long latencyMillis;

    @Option(names = "--json", description = "One JSON object per task, then one with the totals and the lesson.")
    private boolean json;

    @Mixin
    private WorkerJarOption workerJar;

    private final PrintWriter out;
    private final PrintWriter err;

    public DemoCommand(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws InterruptedException {
        Checks checks = new Checks(spec);
        checks.workerProcesses("--workers", workers);
        checks.range("--turns", turns, 1, MAX_TURNS);
        checks.range("--waits", waits, 1, MAX_WAITS);
        checks.range("--latency-ms", latencyMillis, 0, MAX_LATENCY_MILLIS);
        DemoSettings settings = new DemoSettings(workers, turns, (int) waits, Duration.ofMillis(latencyMillis),
                DemoSettings.PAGE_BYTES);
        ProcessPoolBuilder pool = ProcessPool.builder()
                .workerJar(workerJar.resolve()) // before anything runs: a missing jar is a usage error
                .workerOutput((workerId, line) -> {
                    err.println("[worker " + workerId + "] " + line);
                    err.flush();
                })
                .notices(message -> {
                    err.println("procpool: " + message);
                    err.flush();
                });
        DemoReport report = json ? DemoReport.json(out) : DemoReport.table(out);
        report.header(settings);
        DemoOutcome outcome = Demo.run(settings, pool);
        report.outcome(outcome, DemoLesson.of(outcome));
        return outcome.outcomesMatch() ? 0 : 1;
    }
}
