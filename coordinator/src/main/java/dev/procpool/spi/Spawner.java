package dev.procpool.spi;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts this JVM's local worker processes, all from one daemon thread ({@code procpool-spawner}) that lives as long
 * as the JVM. Linux counts a process's parent as the thread that started it: a babysitter that asks to be told of
 * its parent's death (see {@link Babysitter}) must be started from a thread that ends only with the JVM, or it would
 * take the end of a short-lived launching thread for the coordinator's. Thread-safe.
 */
final class Spawner {

    /** Starting a process takes milliseconds; this is for a machine that has stopped making progress. */
    private static final long START_LIMIT_SECONDS = 30;

    /** One thread that is never replaced: what runs on it catches everything. */
    private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(work -> {
        Thread thread = new Thread(work, "procpool-spawner");
        thread.setDaemon(true);
        return thread;
    });

    private Spawner() {
    }

    /**
     * Starts {@code builder}'s process on the spawner thread and returns it. A process that starts after this call
     * gave up waiting (interrupted, or past the limit) is killed, since nobody holds it.
     *
     * @throws IOException as {@link ProcessBuilder#start()} does, or if the start did not finish within the limit
     */
    static Process start(ProcessBuilder builder) throws IOException {
        CompletableFuture<Process> started = new CompletableFuture<>();
        THREAD.execute(() -> {
            try {
                started.complete(builder.start());
            } catch (IOException | RuntimeException | Error e) {
                started.completeExceptionally(e);
            }
        });
        try {
            return started.get(START_LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        } catch (InterruptedException e) {
            started.thenAccept(Spawner::killUnowned);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while starting " + builder.command().getFirst());
        } catch (TimeoutException e) {
            started.thenAccept(Spawner::killUnowned);
            throw new IOException("starting " + builder.command().getFirst() + " took longer than "
                    + START_LIMIT_SECONDS + " s; the machine may be out of processes or memory");
        }
    }

    private static IOException rethrown(Throwable cause) {
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IOException(cause);
    }

    private static void killUnowned(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
