package dev.procpool.internal;

import dev.procpool.spi.LaunchedWorker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * A worker process that is not one: a {@link LaunchedWorker} whose stdout the test writes and whose stdin the test
 * reads, so the pool's side of the channel can be driven byte by byte without a JVM. Thread-safe.
 */
final class FakeWorker implements LaunchedWorker {

    private final InputStream stdout;
    private final OutputStream stdin;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private volatile boolean killed;

    private FakeWorker(InputStream stdout, OutputStream stdin) {
        this.stdout = stdout;
        this.stdin = stdin;
    }

    /** A worker that has already written all of {@code stdout} and exited with status 0; its stdin is discarded. */
    static FakeWorker exited(byte[] stdout) {
        FakeWorker worker = new FakeWorker(new ByteArrayInputStream(stdout), OutputStream.nullOutputStream());
        worker.exit.complete(0);
        return worker;
    }

    /**
     * A worker that lives until killed or {@link #exit exited}: what the pool writes to it collects in
     * {@code stdin}, and what {@code stdout} is fed, the pool reads.
     */
    static FakeWorker live(PipedOutputStream stdout, ByteArrayOutputStream stdin) throws IOException {
        return new FakeWorker(new PipedInputStream(stdout, 1 << 20), stdin);
    }

    @Override
    public OutputStream stdin() {
        return stdin;
    }

    @Override
    public InputStream stdout() {
        return stdout;
    }

    @Override
    public InputStream stderr() {
        return InputStream.nullInputStream();
    }

    @Override
    public long pid() {
        return 4242;
    }

    @Override
    public String host() {
        return "localhost";
    }

    @Override
    public CompletableFuture<Integer> onExit() {
        return exit;
    }

    @Override
    public void kill() {
        killed = true;
        exit.complete(137);
    }

    /** Ends the process with {@code status}, as if it had exited by itself. */
    void exit(int status) {
        exit.complete(status);
    }

    boolean killed() {
        return killed;
    }
}
