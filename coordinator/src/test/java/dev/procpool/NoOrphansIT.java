package dev.procpool;

import static dev.procpool.testing.Processes.signal;
import static dev.procpool.testing.Processes.state;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Command;
import dev.procpool.testing.CoordinatorJvm;
import dev.procpool.testing.Processes;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * No worker outlives its coordinator, and no process a task started outlives its worker: the coordinator killed
 * with SIGKILL (no shutdown hook runs; the workers notice their stdin close, and end what their tasks started), or
 * stopped with SIGTERM or SIGINT (the coordinator stops them and exits 143 or 130); a worker stopped with SIGSTOP,
 * which cannot notice anything, is ended by its babysitter when the coordinator is killed. The processes are found
 * from a {@link ProcessHandle} snapshot taken before the signal.
 */
@Timeout(120)
class NoOrphansIT {

    @ParameterizedTest(name = "SIG{0}")
    @CsvSource({"KILL, 137", "TERM, 143", "INT, 130"})
    void coordinatorSignalled_everyWorkerIsGoneWithinTwoSeconds(String signal, int expectedExit) throws Exception {
        Path jar = Command.root().resolve("coordinator/target/procpool-coordinator.jar");
        // env restores the default SIGINT action, which a JVM started in the background could inherit as ignored.
        Process coordinator = new ProcessBuilder(List.of("env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "--mode=processes", "--workers=2", "--size=2e12", "--tasks=64"))
                .redirectOutput(Redirect.DISCARD)
                .redirectError(Redirect.DISCARD)
                .start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> workersOf(coordinator).size() == 2);
            List<ProcessHandle> workers = workersOf(coordinator);
            // Signal mid-computation: JVM start-up costs well under a CPU-second per worker; tasks cost more.
            await().atMost(Duration.ofSeconds(30)).until(() -> cpuMillis(workers) > 2_500);

            signal(signal, coordinator.pid());

            assertTrue(coordinator.waitFor(10, TimeUnit.SECONDS), "the coordinator exits");
            assertEquals(expectedExit, coordinator.exitValue());
            await().atMost(Duration.ofSeconds(2)).until(() -> workers.stream().noneMatch(Processes::running));
        } finally {
            coordinator.destroyForcibly();
        }
    }

    @ParameterizedTest(name = "SIG{0}")
    @CsvSource({"KILL, 137", "TERM, 143"})
    void coordinatorSignalled_processesTheTasksStartedAreGoneToo(String signal, int expectedExit) throws Exception {
        Process coordinator = spawningRun();
        try {
            // Two workers, each with the sleeping process its task started.
            await().atMost(Duration.ofSeconds(30)).until(() -> sleepersOf(coordinator).size() == 2);
            List<ProcessHandle> everything = coordinator.descendants().toList();

            signal(signal, coordinator.pid());

            assertTrue(coordinator.waitFor(10, TimeUnit.SECONDS), "the coordinator exits");
            assertEquals(expectedExit, coordinator.exitValue());
            await().atMost(Duration.ofSeconds(5)).until(() -> everything.stream().noneMatch(Processes::running));
        } finally {
            coordinator.destroyForcibly();
            coordinator.descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void stoppedWorker_coordinatorKilled_nothingIsLeftWithinFiveSeconds() throws Exception {
        Process coordinator = spawningRun();
        List<ProcessHandle> everything = List.of();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> sleepersOf(coordinator).size() == 2);
            everything = coordinator.descendants().toList();
            // A stopped worker cannot read the end of its input: something else must wake it or end it.
            long stopped = workersOf(coordinator).getFirst().pid();
            signal("STOP", stopped);
            await().atMost(Duration.ofSeconds(5)).until(() -> state(stopped) == 'T');

            signal("KILL", coordinator.pid());

            assertTrue(coordinator.waitFor(10, TimeUnit.SECONDS), "the coordinator exits");
            List<ProcessHandle> left = everything;
            await().atMost(Duration.ofSeconds(5)).until(() -> left.stream().noneMatch(Processes::running));
        } finally {
            coordinator.destroyForcibly();
            everything.forEach(ProcessHandle::destroyForcibly); // a failed run leaves no stopped orphan behind
        }
    }

    /** A coordinator whose two workers each run a task that started a sleeping process. */
    private static Process spawningRun() throws IOException {
        Path jar = Command.root().resolve("coordinator/target/procpool-coordinator.jar");
        Path testJobs = Command.root().resolve("coordinator/target/test-classes");
        return new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "--classpath=" + testJobs, "--job=spawning", "--mode=processes", "--workers=2", "--size=2",
                "--tasks=2"))
                .redirectOutput(Redirect.DISCARD)
                .redirectError(Redirect.DISCARD)
                .start();
    }

    private static List<ProcessHandle> sleepersOf(Process coordinator) {
        return coordinator.descendants()
                .filter(process -> process.info().command().map(command -> command.endsWith("sleep")).orElse(false))
                .toList();
    }

    private static long cpuMillis(List<ProcessHandle> processes) {
        return processes.stream()
                .mapToLong(process -> process.info().totalCpuDuration().map(Duration::toMillis).orElse(0L))
                .sum();
    }

    /** The coordinator's worker JVMs: its descendants that are a {@code java} running the worker's main class. */
    private static List<ProcessHandle> workersOf(Process coordinator) {
        return coordinator.descendants()
                .filter(process -> CoordinatorJvm.isCommand(process, "java") && process.info().commandLine()
                        .map(line -> line.contains("dev.procpool.worker.WorkerMain")).orElse(false))
                .toList();
    }
}
