package dev.procpool;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Command;
import dev.procpool.testing.SlurmCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The executable jar with {@code --slurm} on a real cluster (see {@link SlurmCluster}): outside an allocation, where it
 * asks for one of {@code --workers} tasks, and inside {@code salloc -N2 -n4}, where {@code --workers} defaults to the
 * allocation's tasks. Every mode gives the same result, the table's placement line names both nodes, and no allocation
 * procpool asked for is left.
 */
@Timeout(180)
class SlurmCommandLineIT {

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final Duration LIMIT = Duration.ofMinutes(2);
    private static final Duration GONE_WITHIN = Duration.ofSeconds(5);
    private static final Pattern GRANTED = Pattern.compile("procpool: Slurm allocation ([0-9]+) of 4 tasks on 2 node");

    @BeforeEach
    void clusterAnswers() {
        SlurmCluster.assumeAvailable();
    }

    @Test
    void outsideAnAllocation_fourWorkers_sameResultAsThreads_onBothNodes_allocationGivenBack() throws IOException {
        Command.Outcome run = run(List.of(), "--slurm", "--workers=4", "--slurm-arg=--ntasks-per-node=2",
                "--size=2e7");

        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stdout().contains("all 4 results match"), run.stdout());
        assertPlacedOnBothNodes(run);
        Matcher granted = GRANTED.matcher(run.stderr());
        assertTrue(granted.find(), "the allocation asked for is named: " + run.stderr());
        String job = granted.group(1);
        await().atMost(GONE_WITHIN).until(() -> !SlurmCluster.holds(job));
    }

    @Test
    void insideSalloc_workersDefaultToItsTasks_sameResultAsThreads_onBothNodes_asksForNothing() throws IOException {
        List<String> salloc = List.of("salloc", "--quiet", "-N2", "-n4");
        Command.Outcome run = run(salloc, "--slurm", "--size=2e7", "--json");

        assertEquals(0, run.exitCode(), run.stderr());
        List<String> modes = run.stdoutLines().stream().filter(line -> line.startsWith("{\"mode\":")).toList();
        assertEquals(4, modes.size(), run.stdout());
        assertTrue(run.stdout().contains("\"match\":true"), run.stdout());
        String threads = field(modes.get(1), "result");
        for (String mode : modes) {
            assertEquals(threads, field(mode, "result"), "same result as threads: " + mode);
        }
        String processes = modes.get(3);
        assertEquals("4", field(processes, "workers"), "the allocation's 4 tasks: " + processes);
        assertTrue(processes.contains("\"host\":\"n1\"") && processes.contains("\"host\":\"n2\""),
                "workers on both nodes: " + processes);
        assertFalse(GRANTED.matcher(run.stderr()).find(), "no allocation asked for inside one: " + run.stderr());
        assertFalse(run.stderr().contains("\tat "), "no stack trace: " + run.stderr());
    }

    @Test
    void insideSalloc_theTableNamesBothNodes() throws IOException {
        Command.Outcome run = run(List.of("salloc", "--quiet", "-N2", "-n4"), "--slurm", "--size=2e7");

        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stdout().contains("all 4 results match"), run.stdout());
        assertPlacedOnBothNodes(run);
    }

    private static void assertPlacedOnBothNodes(Command.Outcome run) {
        String placement = run.stdoutLines().stream().filter(line -> line.strip().startsWith("on ")).findFirst()
                .orElseThrow(() -> new AssertionError("no placement line in " + run.stdout()));
        assertTrue(placement.matches(".* n1 x[0-9]+ \\(launch .*") && placement.matches(".* n2 x[0-9]+ \\(launch .*"), placement);
    }

    /** The value of a top-level field of a JSON line, as written (a number, or a string with its quotes). */
    private static String field(String json, String name) {
        Matcher value = Pattern.compile("\"" + name + "\":(\"[^\"]*\"|[^,}]+)").matcher(json);
        if (!value.find()) {
            throw new AssertionError("no " + name + " in " + json);
        }
        return value.group(1);
    }

    /** Runs the coordinator jar with {@code args}, behind {@code prefix} (a command that runs it; may be empty). */
    private static Command.Outcome run(List<String> prefix, String... args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(JAVA, "-jar",
                Command.root().resolve("coordinator/target/procpool-coordinator.jar").toString()));
        command.addAll(List.of(args));
        return Command.run(LIMIT, command.get(0), command.subList(1, command.size()));
    }
}
