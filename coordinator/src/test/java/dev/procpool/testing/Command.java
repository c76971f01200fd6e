package dev.procpool.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;

/** Runs a program to completion under a watchdog and captures what it printed, for integration tests. */
public final class Command {

    /** What a finished program left behind. */
    public record Outcome(int exitCode, String stdout, String stderr, boolean killedByWatchdog) {

        public List<String> stdoutLines() {
            return stdout.lines().toList();
        }

        public List<String> stderrLines() {
            return stderr.lines().toList();
        }
    }

    private Command() {
    }

    /** The repository's top directory, passed to Failsafe by the build. */
    public static Path root() {
        String root = System.getProperty("procpool.root");
        if (root == null) {
            throw new IllegalStateException("procpool.root is not set; run integration tests with mvn verify");
        }
        return Path.of(root).toAbsolutePath().normalize();
    }

    /** Runs {@code program} with {@code arguments}, killing it if it runs longer than {@code timeout}. */
    public static Outcome run(Duration timeout, String program, List<String> arguments) throws IOException {
        return run(timeout, root(), null, program, arguments);
    }

    /**
     * Runs {@code program} with {@code arguments} in {@code directory}, with {@code environment} (null: this JVM's),
     * killing it if it runs longer than {@code timeout}.
     */
    public static Outcome run(Duration timeout, Path directory, Map<String, String> environment, String program,
            List<String> arguments) throws IOException {
        CommandLine commandLine = new CommandLine(program);
        for (String argument : arguments) {
            // Unquoted: CommandLine.parse would put literal quotes around arguments with spaces.
            commandLine.addArgument(argument, false);
        }
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        ExecuteWatchdog watchdog = ExecuteWatchdog.builder().setTimeout(timeout).get();
        DefaultExecutor executor = DefaultExecutor.builder()
                .setWorkingDirectory(directory)
                .setExecuteStreamHandler(new PumpStreamHandler(stdout, stderr))
                .get();
        executor.setWatchdog(watchdog);
        executor.setExitValues(null);
        int exitCode;
        try {
            exitCode = executor.execute(commandLine, environment);
        } catch (ExecuteException e) {
            exitCode = e.getExitValue();
        }
        return new Outcome(exitCode, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8),
                watchdog.killedProcess());
    }
}
