package dev.procpool.spi;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A launched worker whose end is seen by the pool only after its launcher has counted it: {@link #onExit()} completes
 * once {@code counted} has run, so a replacement launched on that news always finds the slot free. Everything else is
 * the worker's own. Thread-safe as the worker is.
 */
final class CountedWorker implements LaunchedWorker {

    private final LaunchedWorker worker;
    private final CompletableFuture<Integer> exit;

    CountedWorker(LaunchedWorker worker, Runnable counted) {
        this.worker = worker;
        this.exit = worker.onExit().whenComplete((status, error) -> counted.run());
    }

    @Override
    public OutputStream stdin() {
        return worker.stdin();
    }

    @Override
    public InputStream stdout() {
        return worker.stdout();
    }

    @Override
    public InputStream stderr() {
        return worker.stderr();
    }

    @Override
    public long pid() {
        return worker.pid();
    }

    @Override
    public String host() {
        return worker.host();
    }

    @Override
    public void identified(long workerPid, String workerHost) {
        worker.identified(workerPid, workerHost);
    }

    @Override
    public CompletableFuture<Integer> onExit() {
        return exit;
    }

    @Override
    public Optional<String> describeExit(int status) {
        return worker.describeExit(status);
    }

    @Override
    public void kill() {
        worker.kill();
    }

    @Override
    public void recordDescendants() {
        worker.recordDescendants();
    }

    @Override
    public String toString() {
        return worker.toString();
    }
}
