package dev.procpool.internal;

import dev.procpool.WorkerStartException;
import dev.procpool.protocol.WorkerArguments;
import dev.procpool.spi.WorkerCommand;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Checks, before anything runs, that a pool's workers can start, so that what cannot work fails at once and in one
 * line, not after other runs: the JVM starts with the workers' flags and class path. The JVM is tried by making the workers' AOT cache (its training run is a worker's start, and the pool uses
 * the cache afterwards) or, when there is no cache to make, by one bare start of a worker JVM. Stateless.
 */
public final class Preflight {

    private Preflight() {
    }

    /**
     * @param jvm how its workers start
     * @param aotCacheDirectory where its AOT cache is kept; null for none
     * @param bare the command of a bare worker start with the workers' JVM, flags and class path
     * @param timeout how long the bare start may take (the workers' start-up timeout)
     * @param notices where a cache that cannot be made is reported
     * @throws WorkerStartException if the JVM refuses to start: its complaint, then the command on a second line
     */
    public static void check(WorkerJvm jvm, Path aotCacheDirectory, WorkerCommand bare, Duration timeout,
            Consumer<String> notices) {
        if (aotCacheDirectory != null && AotCache.prepare(jvm, aotCacheDirectory, notices).isPresent()) {
            return; // the training run started a worker with these very flags: they work
        }
        startBare(bare.withArguments(WorkerArguments.bare().toList()), timeout);
    }

    /**
     * Starts a bare worker JVM and waits for it to exit. Its output goes to a file, read once it has exited or been
     * killed: a JVM that stops before writing a byte (one waiting for a debugger, say) cannot hold up the check.
     */
    private static void startBare(WorkerCommand bare, Duration timeout) {
        List<String> command = bare.toList();
        Path output;
        try {
            output = Files.createTempFile("procpool-preflight-", ".txt");
        } catch (IOException e) {
            throw new WorkerStartException("cannot check that worker JVMs start: " + e.getMessage(), e);
        }
        Process process = null;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new WorkerStartException("a worker JVM did not start within " + timeout.toMillis()
                        + " ms (the start-up timeout)\n  command: " + String.join(" ", command));
            }
            if (process.exitValue() != 0) {
                List<String> lines = readStart(output).lines().toList();
                Optional<String> refused = JvmComplaint.of(lines);
                int status = process.exitValue();
                String why = refused.orElseGet(() -> "it exited with status " + status
                        + (lines.isEmpty() ? "" : ": " + String.join("; ", lines)));
                throw new WorkerStartException("worker JVMs cannot start: " + why + "\n  command: "
                        + String.join(" ", command));
            }
        } catch (IOException e) {
            throw new WorkerStartException("cannot start a worker JVM: " + e.getMessage() + "\n  command: "
                    + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkerStartException("interrupted while checking that worker JVMs start");
        } finally {
            if (process != null) {
                process.destroyForcibly();
            }
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                // A temporary file left behind; nothing else depends on it.
            }
        }
    }

    /** What the bare start wrote: a byte, or a JVM's complaint; the first 16 KiB. */
    private static String readStart(Path output) throws IOException {
        try (InputStream in = Files.newInputStream(output)) {
            return new String(in.readNBytes(16 * 1024), StandardCharsets.UTF_8);
        }
    }
}
