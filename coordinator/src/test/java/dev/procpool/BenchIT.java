package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.procpool.testing.Command;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The benchmark runs end to end through run.sh, at small sizes, and reports every measurement with its bar.
 * Only that it runs and what it reports is checked here: its figures are for a quiet machine, not for CI.
 */
@Timeout(300)
class BenchIT {

    @Test
    void bench_json_reportsEveryMeasurementAndBar() throws Exception {
        Command.Outcome outcome = Command.run(Duration.ofMinutes(4), Command.root().resolve("run.sh").toString(),
                List.of("bench", "--json", "--workers=2", "--repetitions=1", "--noop-tasks=2000",
                        "--sqrt-size=2e7", "--mandelbrot-size=100"));

        assertEquals(0, outcome.exitCode(), outcome.stderr());
        List<JsonObject> lines = outcome.stdoutLines().stream()
                .map(line -> JsonParser.parseString(line).getAsJsonObject()).toList();
        Set<String> keys = lines.stream().filter(line -> line.has("key"))
                .map(line -> line.get("key").getAsString()).collect(Collectors.toSet());
        for (String key : List.of("pipe.pingpong", "pipe.pipelined", "task.roundtrip", "task.throughput",
                "startup.bare", "startup.pool", "sqrt.threads", "sqrt.processes", "sqrt.processes.run",
                "sqrt.speedup.threads.1", "sqrt.speedup.processes.2", "mandelbrot.efficiency.processes",
                "memory.idle", "memory.sqrt", "shared.threads", "shared.processes", "shared.sent")) {
            assertTrue(keys.contains(key), key + " missing from " + keys);
        }
        long bars = lines.stream().filter(line -> line.has("bar")).count();
        assertEquals(9, bars, "every bar of the issue is checked");
        JsonObject last = lines.get(lines.size() - 1);
        assertEquals(9, last.get("bars").getAsInt());
        assertTrue(lines.stream().filter(line -> line.has("median"))
                .allMatch(line -> line.get("median").getAsDouble() > 0), "every measurement is positive");
    }
}
