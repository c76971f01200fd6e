package dev.procpool.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The Slurm cluster the Slurm tests run against: the two nodes {@code n1} and {@code n2} that {@code
 * .ci/slurm-cluster.sh up} starts on this machine (both are this machine, so a worker's pid is a pid here). Tests skip,
 * with the reason on stderr and in the report, when no such cluster answers; with {@code PROCPOOL_REQUIRE_SLURM=1} they
 * fail instead. Stateless, but for the answer of the first check, kept for the whole test JVM.
 */
public final class SlurmCluster {

    /** The nodes the tests expect, as {@code .ci/slurm-cluster.sh} names them. */
    public static final List<String> NODES = List.of("n1", "n2");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration IDLE_WAIT = Duration.ofSeconds(10);
    private static volatile String unavailable;
    private static volatile boolean checked;

    private SlurmCluster() {
    }

    /**
     * Skips the calling test, or with {@code PROCPOOL_REQUIRE_SLURM=1} fails it, unless {@code sinfo} answers and both
     * nodes are idle (or become so within a few seconds).
     */
    public static synchronized void assumeAvailable() {
        if (!checked) {
            unavailable = whyUnavailable();
            checked = true;
            if (unavailable != null) {
                System.err.println("Slurm tests skipped: " + unavailable);
            }
        }
        if (unavailable != null) {
            if ("1".equals(System.getenv("PROCPOOL_REQUIRE_SLURM"))) {
                Assertions.fail("PROCPOOL_REQUIRE_SLURM=1, but " + unavailable);
            }
            Assumptions.abort(unavailable);
        }
    }

    private static String whyUnavailable() {
        AtomicReference<String> why = new AtomicReference<>();
        try {
            await().atMost(IDLE_WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
                why.set(look());
                return why.get() == null || why.get().startsWith("no Slurm");
            });
        } catch (ConditionTimeoutException e) {
            // The nodes stayed busy or down: the last look says how.
        }
        return why.get();
    }

    /** Why the cluster cannot be used for the tests now; null if it can. */
    private static String look() {
        Result sinfo;
        try {
            sinfo = run("sinfo", "-h", "-N", "-o", "%N %T");
        } catch (IOException e) {
            return "no Slurm cluster answers (" + e.getMessage() + "); start one with 'sudo .ci/slurm-cluster.sh up'";
        }
        if (sinfo.status() != 0) {
            return "no Slurm cluster answers (sinfo: " + sinfo.text().strip() + "); start one with "
                    + "'sudo .ci/slurm-cluster.sh up'";
        }
        List<String> idle = sinfo.out().lines().map(String::strip).filter(line -> line.endsWith(" idle"))
                .map(line -> line.substring(0, line.indexOf(' '))).toList();
        if (idle.containsAll(NODES)) {
            return null;
        }
        return "nodes " + NODES + " are not both idle within " + IDLE_WAIT.toSeconds() + " s (sinfo: "
                + String.join(", ", sinfo.out().lines().map(String::strip).toList()) + ")";
    }

    /** The ids of the jobs Slurm knows now, completing ones included. */
    public static List<String> jobs() throws IOException {
        return lines(run("squeue", "-h", "-o", "%i"));
    }

    /** The states of this user's jobs named {@code name} ({@code PENDING}, {@code RUNNING}, ...), one per job. */
    public static List<String> statesOfJobsNamed(String name) throws IOException {
        return lines(run("squeue", "-h", "--user=" + System.getProperty("user.name"), "--name=" + name, "-o", "%T"));
    }

    /** The state of job {@code job} ({@code RUNNING}, ...), or an empty string if Slurm no longer has it. */
    public static String jobState(String job) throws IOException {
        return String.join(",", lines(run("squeue", "-h", "-j", job, "-o", "%T")));
    }

    /** The ids ({@code JOB.STEP}) of the steps of job {@code job} running now. */
    public static List<String> steps(String job) throws IOException {
        return lines(run("squeue", "-h", "-s", "-o", "%i")).stream().filter(step -> step.startsWith(job + "."))
                .toList();
    }

    /** Whether Slurm still has job {@code job} or any step of it. */
    public static boolean holds(String job) throws IOException {
        return jobs().contains(job) || !steps(job).isEmpty();
    }

    /** The {@code srun}, {@code salloc} and {@code sbcast} processes on this machine whose command line names {@code job}. */
    public static List<ProcessHandle> clientsOf(String job) {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(process -> process.info().commandLine()
                            .map(line -> line.matches("^\\S*(srun|salloc|sbcast) .*") && line.contains("--jobid=" + job))
                            .orElse(false))
                    .toList();
        }
    }

    /** Marks {@code node} down: Slurm ends the steps on it, and jobs asked for with {@code --no-kill} go on without it. */
    public static void down(String node) throws IOException {
        check(run("scontrol", "update", "nodename=" + node, "state=down", "reason=procpool-test"));
    }

    /**
     * Returns {@code node} to service, if it is out of it (down or drained), and waits until it is back: idle, or
     * running other users' jobs on a shared cluster.
     */
    public static void resume(String node) throws IOException {
        if (outOfService(state(node))) {
            Result resumed = run("scontrol", "update", "nodename=" + node, "state=resume");
            if (resumed.status() != 0 && outOfService(state(node))) {
                throw new IOException("cannot resume " + node + " (" + state(node) + "): " + resumed.text().strip());
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !outOfService(state(node)));
    }

    private static boolean outOfService(String state) {
        return state.isEmpty() || state.contains("down") || state.contains("drain") || state.contains("fail");
    }

    private static String state(String node) throws IOException {
        return String.join(",", lines(run("sinfo", "-h", "-n", node, "-N", "-o", "%T")));
    }

    /** Cancels step or job {@code id} ({@code JOB.STEP} or {@code JOB}). */
    public static void cancel(String id) throws IOException {
        check(run("scancel", id));
    }

    private static void check(Result result) throws IOException {
        if (result.status() != 0) {
            throw new IOException(result.text().strip());
        }
    }

    private static List<String> lines(Result result) {
        return result.out().lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    /** What a command printed on stdout and (merged) stderr, and its exit status. */
    public record Result(int status, String out, String text) {
    }

    /** Runs a Slurm command to its end, within a bounded time. */
    public static Result run(String... command) throws IOException {
        Path out = Files.createTempFile("procpool-slurm-", ".out");
        Path err = Files.createTempFile("procpool-slurm-", ".err");
        try {
            Process process = new ProcessBuilder(List.of(command))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(command[0] + " did not answer within " + COMMAND_TIMEOUT.toSeconds() + " s");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            return new Result(process.exitValue(), stdout, stdout + Files.readString(err, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command[0]);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
