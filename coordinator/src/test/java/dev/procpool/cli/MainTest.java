package dev.procpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line in-process: exit codes, usage errors, and the report formats of the in-process modes. */
@Timeout(60)
class MainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path directory;

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "--wrkers=2",
        "--workers=0",
        "--workers=-3",
        "--workers=100000",
        "--workers=300 --mode=processes",
        "--workers=10001 --mode=threads",
        "--workers=100001 --mode=virtual",
        "--workers=two",
        "--job=nope",
        "--size=0",
        "--size=-5",
        "--size=1.5",
        "--size=1e400",
        "--size=12abc",
        "--size=9007199254740993",
        "--tasks=0",
        "--tasks=1e12",
        "--mode=fast",
        "--retries=-1",
        "--retries=many",
        "--task-timeout=5",
        "--task-timeout=-1s",
        "--task-timeout=0ms",
        "--task-timeout=soon",
        "--max-tasks-per-worker=-1",
        "--classpath=/no/such/my-jobs.jar",
        "--workers=1..100",
        "--workers=2 --workers=4",
        "--workers=4..1",
        "--chart=speedup.pdf",
        "--jvm-arg",
        "stray-argument",
        "--hosts=a --slurm",
        "--ssh-arg=-v",
        "--remote-java=/opt/java",
        "--slurm-arg=--partition=x",
        "--slurm-copy-to=/tmp/procpool",
        "--hosts=, --remote-java=/opt/java",
        "--hosts=h1 --remote-java=",
        "--hosts=::1",
        "--hosts=ssh://h1:22",
        "--slurm --slurm-copy-to=relative/dir",
        "--hosts=a:0",
        "--hosts=a:two",
        "--hosts=a,,b",
        "--hosts=-oProxyCommand=x",
        "--hosts=a --mode=threads",
        "--slurm --mode=sequential",
    })
    void badInvocation_oneLineOnStderr_exit2(String arguments) {
        int code = run(arguments.split(" "));

        assertEquals(2, code);
        List<String> lines = err.toString().lines().toList();
        assertEquals(1, lines.size(), "one line: " + err);
        assertTrue(lines.get(0).startsWith("procpool: "), lines.get(0));
        assertTrue(lines.get(0).endsWith("see --help"), lines.get(0));
        assertFalse(err.toString().contains("\tat "), "no stack trace");
        assertEquals("", out.toString());
    }

    /**
     * Outside an allocation, {@code --slurm} without {@code --workers} asks for one task per available processor here,
     * and says so before it asks. Hermetic: {@code salloc} refuses the option given (or is not installed) at once.
     */
    @Test
    void slurmOutsideAnAllocation_withoutWorkers_asksForThisMachinesProcessors_andSaysSo() {
        Assumptions.assumeTrue(System.getenv("SLURM_JOB_ID") == null, "inside a Slurm allocation, its task count rules");
        int processors = Runtime.getRuntime().availableProcessors();

        int code = run("--slurm", "--slurm-arg=--no-such-salloc-option", "--mode=processes", "--size=1e5");

        assertEquals(1, code, err.toString());
        List<String> lines = err.toString().lines().toList();
        assertEquals("procpool: --slurm asks for an allocation of " + processors + " tasks, one per available "
                + "processor of this machine; set --workers to ask for another count", lines.get(0), err.toString());
        assertTrue(lines.get(lines.size() - 1).contains("Slurm gave no allocation of " + processors + " tasks")
                || lines.get(lines.size() - 1).contains("cannot run salloc"), err.toString());
        assertFalse(err.toString().contains("\tat "), "no stack trace");
    }

    @Test
    void slurm_withWorkers_saysNothingAboutTheDefault() {
        Assumptions.assumeTrue(System.getenv("SLURM_JOB_ID") == null, "inside a Slurm allocation, its task count rules");

        int code = run("--slurm", "--workers=3", "--slurm-arg=--no-such-salloc-option", "--mode=processes",
                "--size=1e5");

        assertEquals(1, code, err.toString());
        assertFalse(err.toString().contains("one per available processor"), err.toString());
        assertTrue(err.toString().contains("Slurm gave no allocation of 3 tasks")
                || err.toString().contains("cannot run salloc"), err.toString());
    }

    @Test
    void help_saysWhatSlurmAsksForWithoutWorkers() {
        int code = run("--help");

        assertEquals(0, code);
        String help = out.toString().replaceAll("\\s+", " ");
        assertTrue(help.contains("in one asked for with --workers tasks (default: this machine's available "
                + "processors, said on stderr)"), help);
    }

    @Test
    void missingWorkerJar_oneLineUsageError_exit2_beforeAnyModeRuns() {
        int code = run("--worker-jar=/no/such/procpool-worker.jar", "--size=1e5");

        assertEquals(2, code);
        assertEquals(List.of("procpool: the worker jar /no/such/procpool-worker.jar given by --worker-jar does not exist; "
                + "see --help"), err.toString().lines().toList());
        assertEquals("", out.toString(), "nothing ran before the check");
    }

    @Test
    void bench_missingWorkerJar_oneLineUsageError_exit2_beforeAnyMeasurement() {
        int code = run("bench", "--worker-jar=/no/such/procpool-worker.jar");

        assertEquals(2, code);
        assertEquals(List.of("procpool: the worker jar /no/such/procpool-worker.jar given by --worker-jar does not exist; "
                + "see --help"), err.toString().lines().toList());
        assertEquals("", out.toString(), "nothing ran before the check");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"run", "bench", "demo"})
    void workerJarThatIsNotOne_isAUsageError_inOneLine_beforeAnythingRuns(String command) throws IOException {
        Path notAJar = Files.writeString(directory.resolve("hostname"), "not a jar\n");
        List<String> arguments = new java.util.ArrayList<>(command.equals("run") ? List.of() : List.of(command));
        arguments.add("--worker-jar=" + notAJar);

        int code = run(arguments.toArray(String[]::new));

        assertEquals(2, code, err.toString());
        assertEquals("", out.toString(), "nothing ran: " + out);
        List<String> lines = err.toString().lines().toList();
        assertEquals(1, lines.size(), "one line: " + err);
        assertTrue(lines.get(0).startsWith("procpool: " + notAJar + " given by --worker-jar is not a procpool worker "
                + "jar: "), lines.get(0));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sequential", "threads", "virtual", "processes"})
    void taskThatOverflowsItsStack_oneLineSaysWhichTaskAndWhere_thenAShortTrace(String mode) {
        Path testJobs = Path.of("target", "test-classes").toAbsolutePath();

        int code = run("--classpath=" + testJobs, "--job=overflow", "--mode=" + mode, "--workers=2", "--size=4",
                "--tasks=4");

        assertEquals(1, code, err.toString());
        List<String> lines = err.toString().lines().filter(line -> !line.startsWith("[worker ")).toList();
        assertTrue(lines.get(0).startsWith("procpool: job overflow failed: task 2 of 4 ([1, 2)) threw "
                + "java.lang.StackOverflowError on "), lines.get(0));
        assertTrue(lines.size() <= 2 + TaskTrace.MAX_FRAMES + 2, "a short trace, not a thousand frames: "
                + lines.size() + " lines");
        assertTrue(lines.stream().anyMatch(line -> line.contains("OverflowJob.deeper")), err.toString());
        assertFalse(lines.stream().anyMatch(line -> line.contains("dev.procpool.worker.")
                || line.contains("esotericsoftware.") || line.contains("dev.procpool.internal.")),
                "none of procpool's or Kryo's own frames: " + err);
    }

    @Test
    void jobWhoseWireTypesCannotTravel_isRefusedInOneLine_beforeAnythingRuns() throws IOException {
        Path services = Files.createDirectories(directory.resolve("bad/META-INF/services"));
        Files.writeString(services.resolve("dev.procpool.job.Job"), "dev.procpool.testing.BadWireJob\n");

        int code = run("--classpath=" + directory.resolve("bad"), "--job=bad-wire");

        assertEquals(1, code, err.toString());
        assertEquals("", out.toString(), "no run started: " + out);
        List<String> lines = err.toString().lines().toList();
        assertEquals(1, lines.size(), err.toString());
        assertTrue(lines.get(0).startsWith("procpool: job 'bad-wire' (dev.procpool.testing.BadWireJob) lists "
                + "java.util.ArrayList in wireTypes(), which cannot travel between processes: "), lines.get(0));
        assertTrue(lines.get(0).contains("a record of them"), lines.get(0));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-Xmx1k", "-XX:+NoSuchFlagForThisTest"})
    void jvmArgumentTheWorkersCannotStartWith_isRefused_beforeAnythingRuns(String jvmArg) {
        int code = run("--jvm-arg=" + jvmArg, "--size=1e5");

        assertEquals(1, code, err.toString());
        assertEquals("", out.toString(), "no run started: " + out);
        List<String> lines = err.toString().lines().toList();
        assertEquals(2, lines.size(), "the JVM's complaint, then the command: " + err);
        assertTrue(lines.get(0).startsWith("procpool: worker JVMs cannot start: "), lines.get(0));
        assertFalse(lines.get(0).contains("Could not create the Java Virtual Machine"), "the JVM's own words only");
        assertTrue(lines.get(1).startsWith("  command: ") && lines.get(1).contains(jvmArg), lines.get(1));
    }

    @Test
    void unknownJob_listsTheKnownJobs() {
        assertEquals(2, run("--job=nope"));
        assertTrue(err.toString().startsWith("procpool: unknown job 'nope'; known jobs: "), err.toString());

        assertTrue(err.toString().contains("known jobs: "), err.toString());
        for (String job : List.of("mandelbrot", "noop", "primes", "sqrt")) {
            assertTrue(err.toString().contains(job), job + " missing: " + err);
        }
    }

    @Test
    void misspelledOption_suggestsTheClosest() {
        run("--wrkers=2");

        assertTrue(err.toString().contains("did you mean --workers?"), err.toString());
    }

    @Test
    void help_describesEveryOptionAndExitCodes() {
        assertEquals(0, run("--help"));

        for (String option : List.of("--workers", "--job", "--size", "--tasks", "--mode", "--json", "--jvm-arg",
                "--worker-jar", "--retries", "--task-timeout", "--keep-going", "--max-tasks-per-worker", "--classpath",
                "--list-jobs", "--chart", "--help", "--version")) {
            assertTrue(out.toString().contains(option), option + " missing from --help");
        }
        assertTrue(out.toString().contains("Exit status"), out.toString());
    }

    @Test
    void chart_withoutTheSequentialBaseline_isAUsageError() {
        assertEquals(2, run("--mode=threads", "--chart=speedup.png"));
        assertTrue(err.toString().contains("--mode=compare"), err.toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sequential", "threads", "virtual", "processes"})
    void chart_withOneMode_isAUsageError_andDrawsNothing(String mode) {
        Path chart = directory.resolve("speedup.png");

        assertEquals(2, run("--mode=" + mode, "--chart=" + chart, "--size=1e5"));
        assertEquals(List.of("procpool: --chart draws speedup over the sequential run: use it with --mode=compare; "
                + "see --help"), err.toString().lines().toList());
        assertEquals("", out.toString(), "nothing ran");
        assertFalse(Files.exists(chart), "no chart drawn");
    }

    @Test
    void sweep_threadsAtEachCount_oneJsonLinePerRun_thenTheLesson() {
        int code = run("--json", "--mode=threads", "--workers=1,2", "--job=sleep", "--size=20");
        // With threads alone the lesson rests on the whole run's CPU, which a short run in a test JVM skews; the
        // lesson's own rules are tested in LessonTest.

        assertEquals(0, code, err.toString());
        List<String> lines = out.toString().lines().toList();
        assertEquals(3, lines.size(), out.toString());
        assertEquals(1, JsonParser.parseString(lines.get(0)).getAsJsonObject().get("workers").getAsInt());
        assertEquals(2, JsonParser.parseString(lines.get(1)).getAsJsonObject().get("workers").getAsInt());
        for (String line : lines.subList(0, 2)) {
            JsonObject run = JsonParser.parseString(line).getAsJsonObject();
            assertTrue(run.has("cpuSeconds") && run.has("peakMemoryMiB"), line);
        }
        JsonObject verdict = JsonParser.parseString(lines.get(2)).getAsJsonObject();
        assertTrue(verdict.get("match").getAsBoolean());
        assertTrue(verdict.has("workload") && verdict.get("advice").getAsString().startsWith("sleep "), verdict.toString());
    }

    @Test
    void sequentialSleep_isFoundToBeWaiting() {
        int code = run("--json", "--mode=sequential", "--job=sleep", "--size=30");

        assertEquals(0, code, err.toString());
        List<String> lines = out.toString().lines().toList();
        JsonObject verdict = JsonParser.parseString(lines.get(lines.size() - 1)).getAsJsonObject();
        assertEquals("waiting", verdict.get("workload").getAsString(), verdict.toString());
    }

    @Test
    void listJobs_nameDefaultSizeAndDescription_ofEveryJob() {
        assertEquals(0, run("--list-jobs"));

        List<String> lines = out.toString().lines().toList();
        assertTrue(lines.get(0).startsWith("job"), lines.get(0));
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("sqrt ") && line.contains("1,000,000,000")
                && line.contains("Math.sqrt")), out.toString());
        for (String job : List.of("mandelbrot", "noop", "primes", "sleep")) {
            assertTrue(lines.stream().anyMatch(line -> line.startsWith(job + " ")), job + " missing: " + out);
        }
    }

    @Test
    void version_printsTheBuildVersion() {
        assertEquals(0, run("--version"));

        assertTrue(out.toString().startsWith("procpool "), out.toString());
        assertFalse(out.toString().contains("${"), "the version was filtered in at build time: " + out);
    }

    @Test
    void json_inProcessModes_oneObjectPerModeThenMatch() {
        int code = run("--json", "--mode=threads", "--workers=2", "--size=1e5", "--tasks=6");

        assertEquals(0, code, err.toString());
        List<String> lines = out.toString().lines().toList();
        assertEquals(2, lines.size(), out.toString());
        JsonObject threads = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals("threads", threads.get("mode").getAsString());
        assertEquals(2, threads.get("workers").getAsInt());
        assertEquals(6, threads.get("tasks").getAsInt());
        assertEquals(0.0, threads.get("startupSeconds").getAsDouble());
        assertTrue(threads.get("wallSeconds").getAsDouble() > 0);
        assertEquals(String.valueOf(new dev.procpool.SequentialRunner().run(new dev.procpool.jobs.SqrtJob(), 100_000, 6).value()),
                threads.get("result").getAsString());
        assertTrue(JsonParser.parseString(lines.get(1)).getAsJsonObject().get("match").getAsBoolean());
    }

    @Test
    void json_virtual_oneObjectWithItsThreadsAndTasks() {
        int code = run("--json", "--mode=virtual", "--workers=50", "--job=sleep", "--size=100", "--tasks=50");

        assertEquals(0, code, err.toString());
        List<String> lines = out.toString().lines().toList();
        assertEquals(2, lines.size(), out.toString());
        JsonObject virtual = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals("virtual", virtual.get("mode").getAsString());
        assertEquals(50, virtual.get("workers").getAsInt());
        assertEquals("100", virtual.get("result").getAsString());
        assertTrue(virtual.get("peakThreads").getAsInt() > 0, virtual.toString());
        // 100 waits of 10 ms: one second of the tasks' own time, however much of it overlapped.
        assertTrue(virtual.get("taskWallSeconds").getAsDouble() >= 1.0, virtual.toString());
        assertTrue(virtual.has("taskCpuSeconds"), "measured on the carriers: " + virtual);
        assertEquals("waiting", JsonParser.parseString(lines.get(1)).getAsJsonObject().get("workload").getAsString());
    }

    @Test
    void table_oneWorker_isSingular() {
        int code = run("--mode=threads", "--workers=1", "--size=1e5");

        assertEquals(0, code, err.toString());
        assertTrue(out.toString().startsWith("job sqrt, size 100000, 4 tasks, 1 worker, "), out.toString());
        assertFalse(out.toString().contains("1 workers"), out.toString());
    }

    @Test
    void table_failureInTheFirstMode_leavesNoEmptyTable() {
        int code = run("--mode=threads", "--job=three-fails", "--size=8", "--tasks=8", "--workers=2");

        assertEquals(1, code);
        assertTrue(out.toString().startsWith("job three-fails, size 8, 8 tasks, 2 workers"), out.toString());
        assertFalse(out.toString().contains("workers   tasks"), "no column headings without a row: " + out);
    }

    @Test
    void table_headingsComeWithTheFirstRow_andShowThreads() {
        int code = run("--mode=threads", "--workers=2", "--size=1e5");

        assertEquals(0, code, err.toString());
        List<String> lines = out.toString().lines().toList();
        assertTrue(lines.get(2).startsWith("mode        workers   tasks    wall s  start-up s    CPU s  peak MiB  "
                + "threads  speedup  efficiency  result"), lines.get(2));
        assertTrue(lines.get(3).startsWith("threads           2"), lines.get(3));
    }

    @Test
    void table_sequential_showsTheResultRow() {
        int code = run("--mode=sequential", "--job=primes", "--size=1000");

        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("sequential"), out.toString());
        assertTrue(out.toString().contains(" 168"), "pi(1000) = 168: " + out);
    }

    @Test
    void keepGoing_reportsEveryFailedTask() {
        int code = run("--mode=threads", "--job=three-fails", "--size=8", "--tasks=8", "--keep-going");

        assertEquals(1, code);
        assertTrue(err.toString().contains("boom 3"), err.toString());
    }

    @Test
    void failingJob_exit1_namesTheTaskAndShowsTheStackTrace() {
        int code = run("--mode=threads", "--job=three-fails", "--size=8", "--tasks=8", "--workers=2");

        assertEquals(1, code);
        assertTrue(err.toString().contains("task 4 of 8 ([3, 4)) threw java.lang.IllegalStateException: boom 3"),
                err.toString());
        assertTrue(err.toString().contains("at dev.procpool.testing.ThirdFailsJob.compute"), err.toString());
    }
}
