package dev.procpool.spi;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts this JVM's local worker processes and the {@code ssh} clients of remote ones, all from one daemon thread
 * ({@code procpool-spawner}) that lives as long as any process it started. Linux counts a process's parent as the
 * thread that started it: a process that asks to be told of its parent's death (see {@link Babysitter} and
 * {@link TiedProcess}) must be started from a thread that does not end before it, or it would take the end of a
 * short-lived launching thread for the coordinator's. Once every process it started has ended, the thread ends too (an
 * application's container, such as {@code mvn exec:java}, waits for its threads), and the next start makes a new one.
 * Thread-safe: its state is guarded by {@link #LOCK}.
 */
final class Spawner {

    /** Starting a process takes milliseconds; this is for a machine that has stopped making progress. */
    private static final long START_LIMIT_SECONDS = 30;

    private static final Object LOCK = new Object();
    private static final Queue<Runnable> STARTS = new ArrayDeque<>();
    /** The spawner thread, or null while none runs. */
    private static Thread thread;
    /** How many of the processes it started are still running. */
    private static int running;

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
        submit(() -> {
            try {
                Process process = builder.start();
                synchronized (LOCK) {
                    running++;
                }
                process.onExit().whenComplete((ended, error) -> ended());
                started.complete(process);
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

    private static void submit(Runnable start) {
        synchronized (LOCK) {
            STARTS.add(start);
            if (thread == null) {
                thread = new Thread(Spawner::serve, "procpool-spawner");
                thread.setDaemon(true);
                thread.start();
            }
            LOCK.notifyAll();
        }
    }

    private static void ended() {
        synchronized (LOCK) {
            running--;
            LOCK.notifyAll();
        }
    }

    /**
     * The spawner thread: starts what is asked until nothing is asked and nothing it started runs. An interrupt does
     * not end it sooner: its end would tell the babysitters it started that their coordinator is gone.
     */
    private static void serve() {
        while (true) {
            Runnable next;
            synchronized (LOCK) {
                while (STARTS.isEmpty()) {
                    if (running == 0) {
                        thread = null;
                        return;
                    }
                    try {
                        LOCK.wait(1_000); // woken by a start or an end; the time-out only bounds the wait
                    } catch (InterruptedException e) {
                        // Ends only with the last process it started, as above; nothing else waits on this thread.
                    }
                }
                next = STARTS.poll();
            }
            next.run();
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
