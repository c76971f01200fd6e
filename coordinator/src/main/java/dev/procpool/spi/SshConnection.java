package dev.procpool.spi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One SSH destination, reached through one multiplexed master connection of the system's {@code ssh} client, opened
 * before any worker and closed after the last: every command and every worker after the first rides on it, which
 * spares each the key exchange (a worker starts 250-300 ms sooner). {@code -T} always: a pseudo-terminal would
 * corrupt binary data.
 *
 * <p>The master runs the host's {@link RemoteBabysitter} for the connection's workers, with its stdin a pipe from this
 * JVM, and is started tied to this JVM ({@link TiedProcess}), as the workers' sessions are: if this JVM dies, even by
 * SIGKILL, the pipe closes and the master and the sessions end, and the babysitter there ends every worker of the
 * connection, even a stopped one. procpool opens no port for any of this. Thread-safe.
 */
final class SshConnection implements AutoCloseable {

    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);
    private static final int CONNECT_TIMEOUT_SECONDS = 10;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** How long the master may take to end after its session's output did, before the reaper counts as gone alone. */
    private static final Duration REAPER_END_GRACE = Duration.ofMillis(500);
    /** The status {@code ssh} exits with when it, not the remote command, fails. */
    private static final int SSH_FAILED = 255;
    private static final int SILENT_255_RETRIES = 2;

    /** ssh's status when it fails itself, and nothing said on either stream. */
    private static boolean isSilentSshFailure(ShortCommand.Result result) {
        return result.status() == SSH_FAILED && result.stdout().isBlank() && result.stderr().isBlank();
    }

    private final String destination;
    private final List<String> sshArgs;
    private final Path controlPath;
    /** On the host, relative to the home directory: where the connection's workers name their process groups. */
    private final String workersDirectory;
    private final Process master;
    /** What the master said on stderr: why it could not connect, or why it ended. */
    private final StringBuilder masterStderr = new StringBuilder();
    private final CompletableFuture<Void> masterStderrDrained;
    private final CompletableFuture<String> lost = new CompletableFuture<>();
    /** Completes once the host's reaper has said {@link RemoteBabysitter#READY}: its directory is there. */
    private final CompletableFuture<Void> reaperReady = new CompletableFuture<>();
    private volatile boolean closing;

    private SshConnection(String destination, List<String> sshArgs, Path controlPath, String workersDirectory,
            Process master) {
        this.destination = destination;
        this.sshArgs = List.copyOf(sshArgs);
        this.controlPath = controlPath;
        this.workersDirectory = workersDirectory;
        this.master = master;
        this.masterStderrDrained = Daemons.run("procpool-ssh-master-stderr",
                () -> ShortCommand.drain(master.getErrorStream(), masterStderr));
        Daemons.run("procpool-ssh-master-stdout", this::awaitReaper);
        // Off the thread that completes onExit: finding out why waits for the end of the master's stderr.
        master.onExit().thenRun(() -> Daemons.run("procpool-ssh-master-end", () -> {
            if (!closing) {
                lost.complete(endOfMaster());
            }
        }));
    }

    /**
     * Opens the master connection to {@code destination} and returns once it carries commands.
     *
     * @param sshArgs the user's own arguments for every {@code ssh} (a config file, a port, a key)
     * @param controlPath the socket of the master connection: short (a Unix socket path is limited to about 100
     *     bytes) and in a directory only this user can enter
     * @param started told of the connection as soon as its {@code ssh} runs, before it is authenticated: whoever
     *     may have to end it meanwhile can {@link #close()} it
     * @throws IOException saying why the host cannot be reached, in ssh's own words
     */
    static SshConnection open(String destination, List<String> sshArgs, Path controlPath,
            Consumer<SshConnection> started) throws IOException {
        List<String> command = new ArrayList<>(List.of("ssh", "-T", "-o", "ControlMaster=yes", "-o",
                "ControlPath=" + controlPath, "-o", "ControlPersist=no", "-o", "BatchMode=yes", "-o",
                "ConnectTimeout=" + CONNECT_TIMEOUT_SECONDS, "-o", "ServerAliveInterval=5"));
        command.addAll(sshArgs);
        command.add("--");
        command.add(destination);
        String workersDirectory = RemoteBabysitter.newDirectory();
        command.add(RemoteBabysitter.reaperCommand(workersDirectory));
        Process master = TiedProcess.start(new ProcessBuilder(command), TiedProcess.DeathSignal.KILL);
        SshConnection connection = new SshConnection(destination, sshArgs, controlPath, workersDirectory, master);
        started.accept(connection);
        long deadline = System.nanoTime() + OPEN_TIMEOUT.toNanos();
        try {
            // The socket appears once the master is authenticated; the reaper's word once its directory is there.
            while (!Files.exists(controlPath) || !connection.reaperReady.isDone()) {
                if (connection.closing) {
                    throw new IOException("closed while connecting");
                }
                if (!master.isAlive()) {
                    throw new IOException(connection.endOfMaster());
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("no connection within " + OPEN_TIMEOUT.toSeconds() + " s");
                }
                Thread.sleep(20); // poll, bounded above
            }
            return connection;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connection.close();
            throw new IOException("interrupted while connecting");
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    /**
     * Reads the master session's output, the reaper's, to its end: it says when the reaper is ready, and its end
     * says that the reaper is gone. A reaper that ends while the master runs on (killed there, by hand or for memory)
     * can no longer end the connection's workers with the coordinator: the connection counts as lost, so that its
     * workers are killed now, while their names are still there, and the host is dropped.
     */
    private void awaitReaper() {
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(master.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = output.readLine()) != null) {
                if (line.equals(RemoteBabysitter.READY)) {
                    reaperReady.complete(null);
                }
            }
        } catch (IOException e) {
            // The master is gone: its end says why.
        }
        if (reaperReady.isDone() && !closing && !endsWithin(master, REAPER_END_GRACE) && !closing) {
            lost.complete("the babysitter procpool runs there ended while the connection stayed up");
        }
    }

    /** Whether {@code process} has ended, or ends within {@code grace}: its own end then says what happened. */
    private static boolean endsWithin(Process process, Duration grace) {
        try {
            return process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Whether the master connection still carries commands: it runs, and nobody closed it. */
    boolean isOpen() {
        return !closing && master.isAlive();
    }

    /**
     * Completes, with ssh's own words, if the master connection ends without {@link #close()}: the host went away, the
     * network dropped it, or its server ended it.
     */
    CompletableFuture<String> lost() {
        return lost;
    }

    /** Why the master ended: the first line it wrote to stderr, or its exit status. */
    private String endOfMaster() {
        try {
            masterStderrDrained.get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Its stderr is still open (a process it left holds it): go by what arrived.
        }
        String status = master.isAlive() ? "ssh still runs" : "ssh exited with status " + master.exitValue();
        return firstLine(ShortCommand.text(masterStderr), status);
    }

    String destination() {
        return destination;
    }

    /** Where on the host this connection's workers name their process groups (see {@link RemoteBabysitter}). */
    String workersDirectory() {
        return workersDirectory;
    }

    /** The {@code ssh} command line that runs {@code remoteCommand} on the host through the master connection. */
    List<String> command(String remoteCommand) {
        // Should the master be gone, ssh connects on its own: ConnectTimeout bounds that for a host that vanished.
        List<String> command = new ArrayList<>(List.of("ssh", "-T", "-o", "ControlMaster=no", "-o",
                "ControlPath=" + controlPath, "-o", "BatchMode=yes", "-o", "ConnectTimeout=" + CONNECT_TIMEOUT_SECONDS));
        command.addAll(sshArgs);
        command.add("--");
        command.add(destination);
        command.add(remoteCommand);
        return command;
    }

    /**
     * Runs {@code remoteCommand}, which must be idempotent, on the host with {@code input} (may be null) as its stdin,
     * waits for it up to {@code timeout}, and returns what it said. A session through the master that ends with
     * status 255 and not a word is run again, at most {@value #SILENT_255_RETRIES} times: ssh's own failure, not the
     * command's (a command that fails says why), and through a multiplexed master it happens, rarely, to a session
     * whose exit status the master lost (seen in 2 of 300 copies of a jar to a loaded test server).
     *
     * @throws ShortCommand.TimedOut if it does not finish in time
     * @throws IOException if it cannot be run
     */
    ShortCommand.Result run(String remoteCommand, Path input, Duration timeout) throws IOException {
        ShortCommand.Result result = runOnce(remoteCommand, input, timeout);
        for (int retry = 0; retry < SILENT_255_RETRIES && isSilentSshFailure(result); retry++) {
            result = runOnce(remoteCommand, input, timeout);
        }
        return result;
    }

    private ShortCommand.Result runOnce(String remoteCommand, Path input, Duration timeout) throws IOException {
        try {
            return ShortCommand.run(command(remoteCommand), input, timeout);
        } catch (ShortCommand.TimedOut e) {
            throw new ShortCommand.TimedOut("'" + remoteCommand + "' did not finish on " + destination + " within "
                    + timeout.toSeconds() + " s");
        }
    }

    /**
     * Closes the master connection: its stdin first (the host's reaper reads its end), then asks it to exit, then kills
     * it if it has not within a few seconds. Idempotent.
     */
    @Override
    public void close() {
        closing = true;
        try {
            master.getOutputStream().close();
        } catch (IOException e) {
            // Gone already.
        }
        if (!master.isAlive()) {
            return;
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

    /**
     * Ends the master connection at once, as lost for {@code why}: it stopped answering. Its sessions, and so the
     * workers' streams, end with it; {@link #lost()} completes.
     */
    void abandon(String why) {
        if (!closing) {
            lost.complete(why);
        }
        master.destroyForcibly();
    }

    private static String firstLine(String text, String otherwise) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst().orElse(otherwise);
    }
}
