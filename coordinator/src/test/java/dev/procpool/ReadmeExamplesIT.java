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
