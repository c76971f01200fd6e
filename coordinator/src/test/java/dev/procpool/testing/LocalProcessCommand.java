package dev.procpool.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * One SSH exec request run as a local {@code /bin/sh -c <command>} whose standard streams are piped straight to the
 * channel's, the way OpenSSH's sshd runs a command; MINA calls it from its own threads, and it pumps each stream on a
 * named daemon thread of its own that ends with that stream.
 *
 * <p>What it copies from sshd, because the product is built against sshd: each chunk is flushed as soon as it is read
 * (an 8-byte ping-pong must not stall); the exit status is sent only once the process has exited and its output has
 * ended; when the channel closes the process's stdin closes, and nothing else happens to it (no signal: sshd sends no
 * SIGHUP without a pty). A process killed by a signal makes sshd send {@code exit-signal}, which the {@code ssh} client
 * turns into no status of its own: it exits 255. Java tells a death by signal N only as 128 + N, so a status from 129 to
 * 192 ends the channel with no exit status (a shell that itself exits 137 is taken for a killed one).
 */
final class LocalProcessCommand implements Command {

    /** Java reports a death by signal N as status 128 + N; 64 is the last signal number on Linux. */
    private static final int FIRST_SIGNAL_STATUS = 129;
    private static final int LAST_SIGNAL_STATUS = 128 + 64;
    private static final int CHUNK = 64 * 1024;

    private final String command;
    private final Path workingDirectory;
    private final Map<String, String> environment;
    private final Consumer<Process> onStart;
    private InputStream channelIn;
    private OutputStream channelOut;
    private OutputStream channelErr;
    private ExitCallback exitCallback;

    LocalProcessCommand(String command, Path workingDirectory, Map<String, String> environment,
            Consumer<Process> onStart) {
        this.command = command;
        this.workingDirectory = workingDirectory;
        this.environment = environment;
        this.onStart = onStart;
    }

    @Override
    public void setInputStream(InputStream in) {
        channelIn = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        channelOut = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        channelErr = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        exitCallback = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command).directory(workingDirectory.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        onStart.accept(process);
        String name = "sshd-command-" + process.pid();
        daemon(name + "-stdin", () -> pumpInput(process));
        Thread stderr = daemon(name + "-stderr", () -> pumpOutput(process.getErrorStream(), channelErr));
        daemon(name + "-stdout", () -> {
            pumpOutput(process.getInputStream(), channelOut);
            finish(channel, process, stderr);
        });
    }

    /** Closes the channel's input, so the stdin pump closes the process's stdin; the process is left running. */
    @Override
    public void destroy(ChannelSession channel) throws IOException {
        channelIn.close();
    }

    private void pumpInput(Process process) {
        OutputStream toProcess = process.getOutputStream();
        byte[] chunk = new byte[CHUNK];
        boolean processReads = true;
        for (int n = readOrEnd(channelIn, chunk); n >= 0; n = readOrEnd(channelIn, chunk)) {
            if (processReads) {
                try {
                    toProcess.write(chunk, 0, n);
                    toProcess.flush();
                } catch (IOException processClosedItsStdin) {
                    // Like sshd: keep draining the channel so the client is never blocked, drop what nobody reads.
                    processReads = false;
                }
            }
        }
        try {
            toProcess.close();
        } catch (IOException alreadyBroken) {
            // The process closed its end first: its stdin is closed either way.
        }
    }

    private static int readOrEnd(InputStream in, byte[] chunk) {
        try {
            return in.read(chunk);
        } catch (IOException channelClosed) {
            return -1;
        }
    }

    private static void pumpOutput(InputStream fromProcess, OutputStream toChannel) {
        try (fromProcess) {
            byte[] chunk = new byte[CHUNK];
            for (int n = fromProcess.read(chunk); n >= 0; n = fromProcess.read(chunk)) {
                toChannel.write(chunk, 0, n);
                toChannel.flush();
            }
        } catch (IOException channelGone) {
            // The client left. Closing our end (try-with-resources) makes the process's next write fail, as with sshd.
        }
    }

    private void finish(ChannelSession channel, Process process, Thread stderr) {
        int status;
        try {
            stderr.join();
            status = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (status >= FIRST_SIGNAL_STATUS && status <= LAST_SIGNAL_STATUS) {
            channel.close(false);
        } else {
            exitCallback.onExit(status);
        }
    }

    private static Thread daemon(String name, Runnable body) {
        return Thread.ofPlatform().name(name).daemon().start(body);
    }
}
