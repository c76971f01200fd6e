package dev.procpool.spi;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A worker that is a {@link Process} of this JVM: what {@link WorkerLauncher#local()} launches, and the handle a
 * launcher that starts a local program ({@code ssh}, {@code srun}) can hand back. Thread-safe.
 */
public final class LocalWorker implements LaunchedWorker {

    private final Process process;
    private final String host;
    private final CompletableFuture<Integer> exit;

    /**
     * @param process the started process; this handle owns its streams
     * @param host where the worker runs, for messages
     */
    public LocalWorker(Process process, String host) {
        this.process = Objects.requireNonNull(process, "process");
        this.host = Objects.requireNonNull(host, "host");
        this.exit = process.onExit().thenApply(Process::exitValue);
    }

    @Override
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    @Override
    public InputStream stdout() {
        return process.getInputStream();
    }

    @Override
    public InputStream stderr() {
        return process.getErrorStream();
    }

    @Override
    public long pid() {
        try {
            return process.pid();
        } catch (UnsupportedOperationException e) {
            return -1;
        }
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public CompletableFuture<Integer> onExit() {
        return exit;
    }

    @Override
    public void kill() {
        process.destroyForcibly();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }
}
