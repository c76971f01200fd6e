package dev.procpool;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.procpool.testing.Command;
import dev.procpool.testing.Command.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The product as a user meets it: run.sh and the executable jars, built by this very build. */
@Timeout(300)
class RunScriptIT {

    private static final Duration LIMIT = Duration.ofMinutes(3);

    private static Outcome runScript(String... arguments) throws Exception {
        return Command.run(LIMIT, Command.root().resolve("run.sh").toString(), List.of(arguments));
    }

    @Test
    void runScript_json_fourModesThatMatch() throws Exception {
        String marker = "-Dprocpool.it.marker=" + UUID.randomUUID();

        Outcome outcome = runScript("--workers=2", "--json", "--size=1e8", "--jvm-arg=" + marker);

        assertEquals(0, outcome.exitCode(), outcome.stderr());
        assertFalse(outcome.stderr().contains("building"), "the jars were up to date: " + outcome.stderr());
        List<String> lines = outcome.stdoutLines();
        assertEquals(5, lines.size(), outcome.stdout());
        List<String> modes = lines.subList(0, 4).stream()
                .map(line -> JsonParser.parseString(line).getAsJsonObject().get("mode").getAsString())
                .toList();
        assertEquals(List.of("sequential", "threads", "virtual", "processes"), modes);
        JsonObject processes = JsonParser.parseString(lines.get(3)).getAsJsonObject();
        assertEquals(2, processes.get("workers").getAsInt());
        assertTrue(processes.get("startupSeconds").getAsDouble() > 0, lines.get(2));
        assertTrue(processes.get("wallSeconds").getAsDouble() >= processes.get("startupSeconds").getAsDouble());
        for (String key : List.of("tasks", "result", "speedup", "efficiency", "peakThreads", "taskWallSeconds",
                "taskCpuSeconds", "taskReadySeconds")) {
            assertTrue(processes.has(key), key + " missing: " + lines.get(3));
        }
        JsonObject verdict = JsonParser.parseString(lines.get(4)).getAsJsonObject();
        assertTrue(verdict.get("match").getAsBoolean(), lines.get(4));
        assertEquals("cpu-bound", verdict.get("workload").getAsString(), lines.get(4));

        // No worker of that run outlives it.
        await().atMost(Duration.ofSeconds(10)).until(() -> processesWith(marker).isEmpty());
    }

    @Test
    void runScript_tenThousandWaitsOnVirtualThreads_allAtOnce_onAFewPlatformThreads() throws Exception {
        Outcome outcome = runScript("--job=sleep", "--size=10000", "--tasks=10000", "--mode=virtual",
                "--workers=10000", "--json");

        assertEquals(0, outcome.exitCode(), outcome.stderr());
        JsonObject virtual = JsonParser.parseString(outcome.stdoutLines().get(0)).getAsJsonObject();
        assertEquals("virtual", virtual.get("mode").getAsString());
        assertEquals("10000", virtual.get("result").getAsString());
        assertEquals(10_000, virtual.get("tasks").getAsInt());
        // 10,000 waits of 10 ms, one after another, take 100 s: the tasks' summed wall time says they all ran.
        assertTrue(virtual.get("taskWallSeconds").getAsDouble() >= 100, virtual.toString());
        // ... on the JVM's own threads and a carrier per core, not a thread per wait.
        assertTrue(virtual.get("peakThreads").getAsInt() < 200, virtual.toString());
        JsonObject verdict = JsonParser.parseString(outcome.stdoutLines().get(1)).getAsJsonObject();
        assertEquals("waiting", verdict.get("workload").getAsString(), verdict.toString());
    }

    @Test
    void runScript_tooManyWorkersForTheMode_oneLineUsageError() throws Exception {
        Outcome outcome = runScript("--mode=threads", "--workers=20000");

        assertEquals(2, outcome.exitCode());
        assertEquals(1, outcome.stderrLines().size(), outcome.stderr());
        assertTrue(outcome.stderr().contains("--workers=20000 is more platform threads than --mode=threads runs at once "
                + "(at most 10000)") && outcome.stderr().contains("--mode=virtual up to 100000"), outcome.stderr());
    }

    @Test
    void runScript_usageError_oneLineAndExit2() throws Exception {
        Outcome outcome = runScript("--workers=0");

        assertEquals(2, outcome.exitCode());
        assertEquals(1, outcome.stderrLines().size(), outcome.stderr());
        assertTrue(outcome.stderr().startsWith("procpool: ") && outcome.stderr().contains("--workers")
                && outcome.stderr().contains("between 1 and 100000, got 0"), outcome.stderr());
        assertEquals("", outcome.stdout());
    }

    @Test
    void runScript_fromAnotherDirectory_table() throws Exception {
        Outcome outcome = Command.run(LIMIT, "bash",
                List.of("-c", "cd / && \"$0\" --workers=2 --job=mandelbrot --size=300 --mode=processes",
                        Command.root().resolve("run.sh").toString()));

        assertEquals(0, outcome.exitCode(), outcome.stderr());
        assertTrue(outcome.stdout().contains("processes"), outcome.stdout());
        assertTrue(outcome.stdout().lines().anyMatch(line -> line.startsWith("mode ")), outcome.stdout());
    }

    @Test
    void coordinatorJar_runsStandalone() throws Exception {
        String java = java();
        Outcome outcome = Command.run(LIMIT, java, List.of("-jar",
                Command.root().resolve("coordinator/target/procpool-coordinator.jar").toString(),
                "--mode=processes", "--workers=1", "--job=primes", "--size=1000", "--json"));

        assertEquals(0, outcome.exitCode(), outcome.stderr());
        assertTrue(outcome.stdoutLines().get(0).contains("\"result\":\"168\""), outcome.stdout());
    }

    @Test
    void workerJar_withClosedStdin_sendsItsHandshakeAndExits() throws Exception {
        Outcome outcome = Command.run(Duration.ofSeconds(30), java(), List.of("-jar",
                Command.root().resolve("worker/target/procpool-worker.jar").toString()));

        assertEquals(0, outcome.exitCode(), outcome.stderr());
        assertTrue(outcome.stdout().startsWith("PPHS"), "the handshake opens stdout");
        assertFalse(outcome.killedByWatchdog());
    }

    private static List<ProcessHandle> processesWith(String marker) {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().map(line -> line.contains(marker)).orElse(false))
                .toList();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
