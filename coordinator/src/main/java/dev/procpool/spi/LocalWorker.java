package dev.procpool.spi;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A worker that is a {@link Process} of this JVM: what {@link WorkerLauncher#local()} launches, and the handle a
 * launcher that starts a local program ({@code ssh}, {@code srun}) can hand back, or extend to reach the worker behind
 * it. Thread-safe.
 */
public class LocalWorker implements LaunchedWorker {

    private final Process process;
    private final String host;
    private final CompletableFuture<Integer> exit;
    /** The processes the worker had started at the last look; ended with it. */
    private volatile List<ProcessHandle> descendants = List.of();

    /**
     * @param process the started process; this handle owns its streams
     * @param host where the worker runs, for messages
     */
    public LocalWorker(Process process, String host) {
        this.process = Objects.requireNonNull(process, "process");
        this.host = Objects.requireNonNull(host, "host");
        this.exit = process.onExit().thenApply(Process::exitValue);
        // However the worker ends, what it was last seen to have started ends with it.
        exit.whenComplete((status, error) -> endAll(descendants));
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

    /**
     * Kills the worker and every process it started: they are listed first, since once the worker is gone they are
     * nobody's descendants any more.
     */
    @Override
    public void kill() {
        List<ProcessHandle> started = listDescendants();
        process.destroyForcibly();
        endAll(started);
        endAll(descendants);
    }

    @Override
    public void recordDescendants() {
        if (process.isAlive()) {
            descendants = listDescendants();
        }
    }

    private List<ProcessHandle> listDescendants() {
        try {
            return process.descendants().toList();
        } catch (UnsupportedOperationException | SecurityException e) {
            return List.of();
        }
    }

    private static void endAll(List<ProcessHandle> processes) {
        for (ProcessHandle handle : processes) {
            handle.destroyForcibly(); // a handle knows its process's start time: a reused pid is left alone
        }
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }
}
