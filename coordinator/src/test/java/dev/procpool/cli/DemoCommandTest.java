package dev.procpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.jobs.DemoSqrtJob;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code procpool demo} on the command line: its options, their errors and its help. */
@Timeout(60)
class DemoCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "demo --workers=0",
        "demo --workers=257",
        "demo --workers=two",
        "demo --turns=0",
        "demo --turns=1e13",
        "demo --turns=1.5",
        "demo --waits=0",
        "demo --waits=1e6",
        "demo --latency-ms=-1",
        "demo --latency-ms=61000",
        "demo --latency-ms=200ms",
        "demo --wrkers=2",
        "demo --worker-jar=/no/such/procpool-worker.jar",
        "demo stray-argument",
    })
    void badInvocation_oneLineOnStderr_exit2_nothingRuns(String arguments) {
        int code = run(arguments.split(" "));

        assertEquals(2, code);
        List<String> lines = err.toString().lines().toList();
        assertEquals(1, lines.size(), "one line: " + err);
        assertTrue(lines.get(0).startsWith("procpool: "), lines.get(0));
        assertTrue(lines.get(0).endsWith("see --help"), lines.get(0));
        assertFalse(err.toString().contains("\tat "), "no stack trace");
        assertEquals("", out.toString(), "nothing ran");
    }

    @Test
    void misspelledOption_suggestsTheClosest() {
        run("demo", "--turn=5");

        assertTrue(err.toString().contains("did you mean --turns?"), err.toString());
    }

    @Test
    void help_everyOption_within80Columns() {
        assertEquals(0, run("demo", "--help"));

        for (String option : List.of("--workers", "--turns", "--waits", "--latency-ms", "--json", "--worker-jar",
                "--help", "--version", "Exit status")) {
            assertTrue(out.toString().contains(option), option + " missing from --help");
        }
        for (String line : out.toString().lines().toList()) {
            assertTrue(line.length() <= 80, "wider than 80 columns: " + line);
        }
    }

    @Test
    void help_turnsDefault_isTheJobsOwn() {
        run("demo", "--help");

        String flattened = out.toString().replaceAll("\\s+", " ");
        assertTrue(flattened.contains("Default: 2e8,"), out.toString());
        assertEquals(200_000_000L, new DemoSqrtJob().defaultSize());
    }

    @Test
    void mainHelp_listsTheDemo() {
        assertEquals(0, run("--help"));

        assertTrue(out.toString().lines().anyMatch(line -> line.strip().startsWith("demo")), out.toString());
    }
}
