package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.procpool.testing.Command;
import dev.procpool.testing.Command.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code run.sh demo} as a user runs it, at small sizes: both reports, every task on its executor. Its timings are
 * for a quiet machine (see the README), not for CI.
 */
@Timeout(300)
class DemoIT {

    private static final Duration LIMIT = Duration.ofMinutes(3);
    private static final List<String> SMALL = List.of("--turns=1e6", "--waits=20", "--latency-ms=20", "--workers=2");

    private static Outcome demo(List<String> options) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("demo"));
        arguments.addAll(options);
        return Command.run(LIMIT, Command.root().resolve("run.sh").toString(), arguments);
    }

    @Test
    void demo_json_elevenTasksOnTheirExecutors_thenTheTotals() throws Exception {
        List<String> options = new ArrayList<>(SMALL);
        options.add("--json");

        Outcome outcome = demo(options);

        assertEquals(0, outcome.exitCode(), outcome.stderr());
        assertEquals("", outcome.stderr());
        List<JsonObject> lines = outcome.stdoutLines().stream()
                .map(line -> JsonParser.parseString(line).getAsJsonObject()).toList();
        assertEquals(12, lines.size(), outcome.stdout());
        List<String> executors = lines.subList(0, 11).stream().map(line -> line.get("executor").getAsString()).toList();
        assertEquals(List.of("process pool", "process pool", "process pool", "HttpClient.sendAsync",
                "HttpClient.sendAsync", "platform thread", "platform thread", "virtual thread", "virtual thread",
                "virtual thread", "virtual thread"), executors);
        JsonObject totals = lines.get(11);
        assertTrue(totals.get("match").getAsBoolean(), totals.toString());
        assertTrue(totals.get("mixedSeconds").getAsDouble() >= totals.get("startupSeconds").getAsDouble());
        assertEquals(totals.get("sequentialSeconds").getAsDouble() / totals.get("mixedSeconds").getAsDouble(),
                totals.get("speedup").getAsDouble(), 1e-9);
    }

    @Test
    void demo_table_rowsTotalsAndLesson() throws Exception {
        Outcome outcome = demo(SMALL);

        assertEquals(0, outcome.exitCode(), outcome.stderr());
        List<String> lines = outcome.stdoutLines();
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("task ") && line.contains("sequential s")),
                outcome.stdout());
        assertEquals(11, lines.stream().filter(line -> line.matches("(compute|download|wait) \\d+ .*")).count(),
                outcome.stdout());
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("speedup")), outcome.stdout());
        assertTrue(lines.get(lines.size() - 1).endsWith("."), "the lesson ends the report: " + outcome.stdout());
    }
}
