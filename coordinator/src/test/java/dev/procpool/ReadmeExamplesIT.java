package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Command;
import java.io.File;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Java in the README compiles against this build, and the library example runs. */
@Timeout(120)
class ReadmeExamplesIT {

    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CLASS_NAME = Pattern.compile("public (?:final )?class (\\w+)");

    @TempDir
    Path work;

    @Test
    void everyJavaBlock_compiles_andTheLibraryExampleRuns() throws Exception {
        String readme = Files.readString(Command.root().resolve("README.md"));
        List<String> sources = new ArrayList<>();
        Matcher block = JAVA_BLOCK.matcher(readme);
        while (block.find()) {
            String code = block.group(1);
            Matcher name = CLASS_NAME.matcher(code);
            assertTrue(name.find(), "a README block without a public class:\n" + code);
            Path source = work.resolve("src").resolve(name.group(1) + ".java");
            Files.createDirectories(source.getParent());
            Files.writeString(source, code);
            sources.add(source.toString());
        }
        assertTrue(sources.size() >= 2, "the library example and the job example: " + sources);

        // Against the shipped jar, as a user would: not this test JVM's class path, which holds test-only jobs.
        String jar = Command.root().resolve("coordinator/target/procpool-coordinator.jar").toString();
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "-cp", jar, "-Xlint:all", "-Werror"));
        arguments.addAll(sources);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        int status = javac.run(null, null, new PrintStream(new WriterStream(diagnostics), true, StandardCharsets.UTF_8),
                arguments.toArray(String[]::new));
        assertEquals(0, status, diagnostics.toString());

        Command.Outcome run = Command.run(Duration.ofMinutes(1),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                List.of("-cp", jar + File.pathSeparator + classes, "LibraryExample"));
        assertEquals(0, run.exitCode(), run.stderr());
        List<String> lines = run.stdoutLines();
        assertEquals(4, lines.size(), run.stdout());
        String processes = lines.get(0).substring(0, lines.get(0).indexOf(" in "));
        assertEquals(processes, lines.get(2), "the pool and the threads give the same bits");
        assertTrue(lines.get(3).startsWith("1000 waits of 10 ms in "), lines.get(3));

        // The functions example and its parallel-stream twin print the same outputs. Its workers find the example's
        // classes in the worker jar itself (a copy holding them), so the example names no class path.
        Path workerJar = workerJarWith(classes);
        for (String example : List.of("FunctionsExample", "StreamExample")) {
            Command.Outcome printed = Command.run(Duration.ofMinutes(1),
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    List.of("-D" + "procpool.worker.jar=" + workerJar, "-cp", jar + File.pathSeparator + classes,
                            example));
            assertEquals(0, printed.exitCode(), example + ": " + printed.stderr());
            assertEquals(List.of("[0, 1, 7, 2, 5, 8, 16, 3, 19, 6]"), printed.stdoutLines(), example);
        }
        Command.Outcome shared = Command.run(Duration.ofMinutes(1),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                List.of("-D" + "procpool.worker.jar=" + workerJar, "-cp", jar + File.pathSeparator + classes,
                        "SharingExample"));
        assertEquals(0, shared.exitCode(), shared.stderr());
        assertEquals(List.of("[3276800.0, 6553600.0]", "[9, 900, 90000]"), shared.stdoutLines());
    }

    /** A copy of the worker jar that also holds the compiled README classes. */
    private Path workerJarWith(Path classes) throws Exception {
        Path copy = work.resolve("procpool-worker.jar");
        Path original = Command.root().resolve("worker/target/procpool-worker.jar");
        try (java.util.jar.JarFile source = new java.util.jar.JarFile(original.toFile());
                java.util.jar.JarOutputStream target = new java.util.jar.JarOutputStream(Files.newOutputStream(copy),
                        source.getManifest())) {
            for (java.util.jar.JarEntry entry : java.util.Collections.list(source.entries())) {
                if (entry.getName().equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                target.putNextEntry(new java.util.jar.JarEntry(entry.getName()));
                try (java.io.InputStream in = source.getInputStream(entry)) {
                    in.transferTo(target);
                }
            }
            try (java.util.stream.Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    target.putNextEntry(new java.util.jar.JarEntry(classes.relativize(file).toString()));
                    Files.copy(file, target);
                }
            }
        }
        return copy;
    }

    /** Lets the compiler's diagnostics land in a StringWriter. */
    private static final class WriterStream extends java.io.OutputStream {
        private final StringWriter target;

        WriterStream(StringWriter target) {
            this.target = target;
        }

        @Override
        public void write(int b) {
            target.write(b);
        }
    }
}
