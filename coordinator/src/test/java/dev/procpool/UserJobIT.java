package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.procpool.testing.Command;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job written against the public job API in a project of its own (coordinator/src/userjob, which Maven does
 * not compile), built into a jar the way the README says, and run through run.sh --classpath in every mode.
 */
@Timeout(300)
class UserJobIT {

    private static final Path SOURCES = Command.root().resolve("coordinator/src/userjob");

    @TempDir
    static Path work;

    private static Path jar;

    @BeforeAll
    static void buildTheUsersJar() throws Exception {
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "-cp",
                Command.root().resolve("coordinator/target/procpool-coordinator.jar").toString(), "-Xlint:all", "-Werror"));
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(file -> file.toString().endsWith(".java")).forEach(file -> arguments.add(file.toString()));
        }
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, arguments.toArray(String[]::new)));
        jar = work.resolve("my-jobs.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> compiled = Files.walk(classes)) {
            for (Path file : compiled.filter(Files::isRegularFile).toList()) {
                add(out, classes.relativize(file).toString(), file);
            }
            add(out, "META-INF/services/dev.procpool.job.Job",
                    SOURCES.resolve("META-INF/services/dev.procpool.job.Job"));
        }
    }

    private static void add(JarOutputStream out, String name, Path file) throws Exception {
        out.putNextEntry(new JarEntry(name.replace('\\', '/')));
        try (var in = Files.newInputStream(file)) {
            in.transferTo((OutputStream) out);
        }
        out.closeEntry();
    }

    private static Command.Outcome runScript(String... arguments) throws Exception {
        return Command.run(Duration.ofMinutes(3), Command.root().resolve("run.sh").toString(), List.of(arguments));
    }

    @Test
    void usersJob_runsInEveryMode_withTheRightResult() throws Exception {
        Command.Outcome outcome = runScript("--classpath=" + jar, "--job=collatz", "--size=200000", "--workers=2",
                "--json");

        assertEquals(0, outcome.exitCode(), outcome.stderr());
        List<JsonObject> lines = outcome.stdoutLines().stream()
                .map(line -> JsonParser.parseString(line).getAsJsonObject()).toList();
        assertEquals(List.of("sequential", "threads", "virtual", "processes"),
                lines.subList(0, 4).stream().map(line -> line.get("mode").getAsString()).toList());
        for (JsonObject mode : lines.subList(0, 4)) {
            assertEquals(Long.toString(collatzSteps(200_000)), mode.get("result").getAsString(), mode.toString());
        }
        assertTrue(lines.get(4).get("match").getAsBoolean());
    }

    @Test
    void listJobs_withTheUsersJar_listsTheirJobToo() throws Exception {
        Command.Outcome outcome = runScript("--classpath=" + jar, "--list-jobs");

        assertEquals(0, outcome.exitCode(), outcome.stderr());
        assertTrue(outcome.stdout().lines().anyMatch(line -> line.startsWith("collatz ")
                && line.contains("20,000,000") && line.contains("total Collatz steps")), outcome.stdout());
        assertTrue(outcome.stdout().contains("sqrt"), "and the built-in ones: " + outcome.stdout());
    }

    @Test
    void readme_showsThisVeryJob() throws Exception {
        String readme = Files.readString(Command.root().resolve("README.md"));
        String job = Files.readString(SOURCES.resolve("com/example/jobs/CollatzJob.java"));

        assertTrue(readme.contains(job), "the README's walkthrough shows coordinator/src/userjob's CollatzJob as is");
    }

    /** An independent count: steps of every n in [1, size) to reach 1. */
    private static long collatzSteps(long size) {
        long steps = 0;
        for (long n = 1; n < size; n++) {
            long x = n;
            while (x != 1) {
                x = x % 2 == 0 ? x / 2 : 3 * x + 1;
                steps++;
            }
        }
        return steps;
    }
}
