package dev.procpool.spi;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a short local command to its end within a time limit and collects what it printed: a launcher's chores
 * ({@code sbcast}, a Slurm step that checks the nodes, a command run on an SSH host). Its stdin is a file or empty;
 * stdout and stderr are drained on daemon threads of their own, so that neither fills up. Stateless.
 */
final class ShortCommand {

    /** How much of each stream is kept: a chore's answer is short, and a runaway one must not fill the heap. */
    private static final int KEPT_BYTES = 1 << 20;
    /** How long the streams may stay open once the command has ended: a child it left behind may hold them. */
    private static final Duration STREAMS_TIMEOUT = Duration.ofSeconds(5);

    /** What a command printed and its exit status. */
    record Result(int status, String stdout, String stderr) {

        /** Its stderr, else its stdout, on one line: what to quote when it failed. */
        String complaint() {
            String text = stderr.isBlank() ? stdout : stderr;
            String line = String.join(" ", text.lines().map(String::strip).filter(part -> !part.isEmpty()).toList());
            return line.isEmpty() ? "no output (exit status " + status + ")" : line;
        }
    }

    /** A command still running at its time limit (it was killed): on a command that ends at once, a sign of trouble. */
    static final class TimedOut extends IOException {

        private static final long serialVersionUID = 1L;

        TimedOut(String message) {
            super(message);
        }
    }

    private ShortCommand() {
    }

    /**
     * Runs {@code command} with an empty stdin and waits for it at most {@code limit}.
     *
     * @throws TimedOut if it is still running at the limit (it is then killed)
     * @throws IOException if it cannot be started
     */
    static Result run(List<String> command, Duration limit) throws IOException {
        return run(command, null, limit);
    }

    /**
     * Runs {@code command} with {@code input} (null: nothing) as its stdin and waits for it at most {@code limit}. Once
     * it has ended, what it printed is what arrived within a few more seconds.
     *
     * @throws TimedOut if it is still running at the limit (it is then killed)
     * @throws IOException if it cannot be started
     */
    static Result run(List<String> command, Path input, Duration limit) throws IOException {
        String name = command.get(0);
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(input == null ? new File("/dev/null") : input.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IOException("cannot run " + name + " (" + e.getMessage() + ")");
        }
        StringBuilder stdout = new StringBuilder();
        StringBuilder stderr = new StringBuilder();
        CompletableFuture<Void> out = Daemons.run("procpool-" + name + "-stdout",
                () -> drain(process.getInputStream(), stdout));
        CompletableFuture<Void> err = Daemons.run("procpool-" + name + "-stderr",
                () -> drain(process.getErrorStream(), stderr));
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new TimedOut(name + " did not finish within " + seconds(limit));
            }
            CompletableFuture.allOf(out, err).get(STREAMS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + name);
        } catch (ExecutionException | TimeoutException e) {
            // Its output is still open (a process it started holds it): go by what arrived.
        } finally {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), text(stdout), text(stderr));
    }

    /** Reads {@code stream} to its end into {@code into}, keeping its first MiB; for a thread of its own. */
    static void drain(InputStream stream, StringBuilder into) {
        try (stream) {
            byte[] bytes = stream.readNBytes(KEPT_BYTES);
            synchronized (into) {
                into.append(new String(bytes, StandardCharsets.UTF_8));
            }
            stream.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // The process is gone: what was read is what there is.
        }
    }

    /** What {@link #drain} has put into {@code drained} so far. */
    static String text(StringBuilder drained) {
        synchronized (drained) {
            return drained.toString();
        }
    }

    private static String seconds(Duration limit) {
        return limit.toMillis() % 1000 == 0 ? limit.toSeconds() + " s" : limit.toMillis() + " ms";
    }
}
