package dev.procpool.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One SSH destination, reached through one multiplexed master connection of the system's {@code ssh} client, opened
 * before any worker and closed after the last: every command and every worker after the first rides on it, which
 * spares each the key exchange (a worker starts 250-300 ms sooner). {@code -T} always: a pseudo-terminal would
 * corrupt binary data.
 *
 * <p>The master runs {@code cat > /dev/null} on the host with its stdin a pipe from this JVM: if this JVM dies, even
 * by SIGKILL, the pipe closes, the remote {@code cat} ends, and the master exits once its workers' sessions (which end
 * as their workers see their stdin close) are gone. procpool opens no port for any of this. Thread-safe.
 */
final class SshConnection implements AutoCloseable {

    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    /** The output and exit status of a command run on the host. */
    record Result(int status, String stdout, String stderr) {

        /** The last line of stderr, or of stdout if stderr is empty: what to quote when it failed. */
        String complaint() {
            String text = stderr.isBlank() ? stdout : stderr;
            List<String> lines = text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
            return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
        }
    }

    private final String destination;
    private final List<String> sshArgs;
    private final Path controlPath;
    private final Process master;

    private SshConnection(String destination, List<String> sshArgs, Path controlPath, Process master) {
        this.destination = destination;
        this.sshArgs = List.copyOf(sshArgs);
        this.controlPath = controlPath;
        this.master = master;
    }

    /**
     * Opens the master connection to {@code destination} and returns once it carries commands.
     *
     * @param sshArgs the user's own arguments for every {@code ssh} (a config file, a port, a key)
     * @param controlPath the socket of the master connection: short (a Unix socket path is limited to about 100
     *     bytes) and in a directory only this user can enter
     * @throws IOException saying why the host cannot be reached, in ssh's own words
     */
    static SshConnection open(String destination, List<String> sshArgs, Path controlPath) throws IOException {
        List<String> command = new ArrayList<>(List.of("ssh", "-T", "-o", "ControlMaster=yes", "-o",
                "ControlPath=" + controlPath, "-o", "ControlPersist=no", "-o", "BatchMode=yes", "-o",
                "ConnectTimeout=10", "-o", "ServerAliveInterval=5"));
        command.addAll(sshArgs);
        command.add("--");
        command.add(destination);
        command.add("cat > /dev/null");
        Process master = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        SshConnection connection = new SshConnection(destination, sshArgs, controlPath, master);
        StringBuilder stderr = new StringBuilder();
        CompletableFuture<Void> drained = Daemons.run("procpool-ssh-master-stderr", () -> drain(master.getErrorStream(), stderr));
        long deadline = System.nanoTime() + OPEN_TIMEOUT.toNanos();
        try {
            while (!Files.exists(controlPath)) {
                if (!master.isAlive()) {
                    drained.get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    throw new IOException(firstLine(stderr.toString(), "ssh exited with status "
                            + master.exitValue()));
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("no connection within " + OPEN_TIMEOUT.toSeconds() + " s");
                }
                Thread.sleep(20); // the socket appears once the master is authenticated: poll, bounded above
            }
            return connection;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connection.close();
            throw new IOException("interrupted while connecting");
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            connection.close();
            throw new IOException(firstLine(stderr.toString(), "ssh exited with status " + master.exitValue()));
        }
    }

    String destination() {
        return destination;
    }

    /** The {@code ssh} command line that runs {@code remoteCommand} on the host through the master connection. */
    List<String> command(String remoteCommand) {
        List<String> command = new ArrayList<>(List.of("ssh", "-T", "-o", "ControlMaster=no", "-o",
                "ControlPath=" + controlPath, "-o", "BatchMode=yes"));
        command.addAll(sshArgs);
        command.add("--");
        command.add(destination);
        command.add(remoteCommand);
        return command;
    }

    /**
     * Runs {@code remoteCommand} on the host with {@code input} (may be null) as its stdin, waits for it up to
     * {@code timeout}, and returns what it said.
     *
     * @throws IOException if it cannot be run or does not finish in time
     */
    Result run(String remoteCommand, Path input, Duration timeout) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command(remoteCommand));
        builder.redirectInput(input != null ? ProcessBuilder.Redirect.from(input.toFile())
                : ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process process = builder.start();
        StringBuilder stdout = new StringBuilder();
        StringBuilder stderr = new StringBuilder();
        CompletableFuture<Void> out = Daemons.run("procpool-ssh-stdout", () -> drain(process.getInputStream(), stdout));
        CompletableFuture<Void> err = Daemons.run("procpool-ssh-stderr", () -> drain(process.getErrorStream(), stderr));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("'" + remoteCommand + "' did not finish within " + timeout.toSeconds() + " s");
            }
            CompletableFuture.allOf(out, err).get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new Result(process.exitValue(), stdout.toString(), stderr.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running a command on " + destination);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return new Result(process.exitValue(), stdout.toString(), stderr.toString());
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * Closes the master connection: its stdin first (the remote {@code cat} ends), then asks it to exit, then kills it
     * if it has not within a few seconds. Idempotent.
     */
    @Override
    public void close() {
        try {
            master.getOutputStream().close();
        } catch (IOException e) {
            // Gone already.
        }
        try {
            List<String> exit = new ArrayList<>(List.of("ssh", "-o", "ControlPath=" + controlPath, "-O", "exit"));
            exit.addAll(sshArgs);
            exit.add("--");
            exit.add(destination);
            Process asking = new ProcessBuilder(exit).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!asking.waitFor(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                asking.destroyForcibly();
            }
            if (!master.waitFor(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                master.destroyForcibly();
            }
        } catch (IOException e) {
            master.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            master.destroyForcibly();
        }
    }

    private static void drain(InputStream stream, StringBuilder into) {
        try (stream) {
            byte[] bytes = stream.readNBytes(1 << 20);
            synchronized (into) {
                into.append(new String(bytes, StandardCharsets.UTF_8));
            }
            stream.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // The process is gone: what was read is what there is.
        }
    }

    private static String firstLine(String text, String otherwise) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst().orElse(otherwise);
    }
}
