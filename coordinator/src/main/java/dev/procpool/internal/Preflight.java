package dev.procpool.internal;

import dev.procpool.WorkerStartException;
import dev.procpool.job.JobRegistry;
import dev.procpool.protocol.WireFormat;
import dev.procpool.protocol.WorkerArguments;
import dev.procpool.spi.WorkerCommand;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Checks, before anything runs, that a pool's workers can start, so that what cannot work fails at once and in one
 * line, not after other runs: every job's wire types can travel, and the JVM starts with the workers' flags and class
 * path. The JVM is tried by making the workers' AOT cache (its training run is a worker's start, and the pool uses
 * the cache afterwards) or, when there is no cache to make, by one bare start of a worker JVM. Stateless.
 */
public final class Preflight {

    private static final long BARE_START_TIMEOUT_SECONDS = 60;

    private Preflight() {
    }

    /**
     * @param jobs the pool's jobs
     * @param jvm how its workers start
     * @param aotCacheDirectory where its AOT cache is kept; null for none
     * @param bare the command of a bare worker start with the workers' JVM, flags and class path
     * @param notices where a cache that cannot be made is reported
     * @throws IllegalArgumentException naming a job whose wire types cannot travel
     * @throws WorkerStartException if the JVM refuses to start: its complaint, then the command on a second line
     */
    public static void check(JobRegistry jobs, WorkerJvm jvm, Path aotCacheDirectory, WorkerCommand bare,
            Consumer<String> notices) {
        WireFormat.of(jobs);
        if (aotCacheDirectory != null && AotCache.prepare(jvm, aotCacheDirectory, notices).isPresent()) {
            return; // the training run started a worker with these very flags: they work
        }
        startBare(bare.withArguments(WorkerArguments.bare().toList()));
    }

    private static void startBare(WorkerCommand bare) {
        List<String> command = bare.toList();
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        } catch (IOException e) {
            throw new WorkerStartException("cannot start a worker JVM: " + e.getMessage() + "\n  command: "
                    + String.join(" ", command), e);
        }
        try (InputStream output = process.getInputStream()) {
            // A bare worker writes one byte; a refusing JVM writes its complaint. Either way the stream ends at exit.
            byte[] said = output.readNBytes(16 * 1024);
            if (!process.waitFor(BARE_START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new WorkerStartException("a worker JVM did not start within " + BARE_START_TIMEOUT_SECONDS
                        + " s\n  command: " + String.join(" ", command));
            }
            if (process.exitValue() != 0) {
                List<String> lines = new String(said, StandardCharsets.UTF_8).lines().toList();
                Optional<String> refused = JvmComplaint.of(lines);
                String why = refused.orElseGet(() -> "it exited with status " + process.exitValue()
                        + (lines.isEmpty() ? "" : ": " + String.join("; ", lines)));
                throw new WorkerStartException("worker JVMs cannot start: " + why + "\n  command: "
                        + String.join(" ", command));
            }
        } catch (IOException e) {
            throw new WorkerStartException("cannot read a worker JVM's start: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkerStartException("interrupted while checking that worker JVMs start");
        } finally {
            process.destroyForcibly();
        }
    }
}
