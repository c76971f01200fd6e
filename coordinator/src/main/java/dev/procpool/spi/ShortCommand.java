package dev.procpool.spi;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a short local command to its end within a time limit and collects what it printed: a launcher's chores
 * ({@code sbcast}, a Slurm step that checks files). Its stdin is empty; stdout and stderr are drained on daemon
 * threads of their own, so that neither fills up. Stateless.
 */
final class ShortCommand {

    /** What a command printed and its exit status. */
    record Result(int status, String stdout, String stderr) {

        /** Its stderr, else its stdout, on one line: what to quote when it failed. */
        String complaint() {
            String text = stderr.isBlank() ? stdout : stderr;
            String line = String.join(" ", text.lines().map(String::strip).filter(part -> !part.isEmpty()).toList());
            return line.isEmpty() ? "no output (exit status " + status + ")" : line;
        }
    }

    private ShortCommand() {
    }

    /**
     * Runs {@code command} and waits for it at most {@code limit}.
     *
     * @throws IOException if it cannot be started, or is still running at the limit (it is then killed)
     */
    static Result run(List<String> command, Duration limit) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new IOException("cannot run " + command.get(0) + " (" + e.getMessage() + ")");
        }
        String name = command.get(0);
        CompletableFuture<String> stdout = Daemons.supply("procpool-" + name + "-stdout",
                () -> drain(process.getInputStream()));
        CompletableFuture<String> stderr = Daemons.supply("procpool-" + name + "-stderr",
                () -> drain(process.getErrorStream()));
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(name + " did not finish within " + limit.toSeconds() + " s");
            }
            // The streams end with the process, unless a child it left behind holds them: bounded all the same.
            return new Result(process.exitValue(), stdout.get(limit.toMillis(), TimeUnit.MILLISECONDS),
                    stderr.get(limit.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while waiting for " + name);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot read what " + name + " printed: " + e);
        }
    }

    private static String drain(InputStream stream) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (stream) {
            stream.transferTo(bytes);
        } catch (IOException e) {
            // The process is gone: what it printed is what there is.
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
