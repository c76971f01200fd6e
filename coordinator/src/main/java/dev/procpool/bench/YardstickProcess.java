package dev.procpool.bench;

import dev.procpool.ProcPoolException;
import dev.procpool.spi.LaunchedWorker;
import dev.procpool.spi.LocalWorker;
import dev.procpool.spi.WorkerCommand;
import dev.procpool.spi.WorkerLauncher;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One JVM the benchmark measures against (the worker jar's {@code --echo} or {@code --bare} mode), here or through
 * a launcher: its pipes, its stderr kept in a temporary file so that a failure can quote it, a watchdog that kills
 * it when an exchange runs past its time limit, and the message when it fails. Its pipes are used by one thread
 * each; the other methods by the benchmark's thread.
 */
final class YardstickProcess implements AutoCloseable {

    /** Quoted from stderr in a failure: at most this many lines, found in at most this many last bytes. */
    private static final int TAIL_LINES = 5;
    private static final int TAIL_BYTES = 4096;
    /** How long a process has to exit once its stdin is closed, or to report its status after its stdout ended. */
    static final long EXIT_WAIT_SECONDS = 5;

    /** A time limit on an exchange; closing it in time disarms it. */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    private final String name;
    private final List<String> command;
    private final String advice;
    private final Path stderr;
    private final long startNanos;
    private final LaunchedWorker process;
    /** The limit that got the process killed, set by the watchdog; null while none did. */
    private volatile Duration killedAt;

    private YardstickProcess(String name, List<String> command, String advice, Path stderr, long startNanos,
            LaunchedWorker process) {
        this.name = name;
        this.command = List.copyOf(command);
        this.advice = advice;
        this.stderr = stderr;
        this.startNanos = startNanos;
        this.process = process;
    }

    /**
     * Starts {@code command} here; {@code name} says what it is in messages ("the echo JVM") and {@code advice} what
     * the user can do when it fails.
     *
     * @throws ProcPoolException if it cannot be started
     */
    static YardstickProcess start(String name, List<String> command, String advice) {
        Path stderr = stderrFile(name);
        long start = System.nanoTime();
        try {
            Process process = new ProcessBuilder(command).redirectError(Redirect.to(stderr.toFile())).start();
            return new YardstickProcess(name, command, advice, stderr, start, new LocalWorker(process, "localhost"));
        } catch (IOException e) {
            delete(stderr);
            throw new ProcPoolException("cannot start " + name + " (" + String.join(" ", command) + "): "
                    + e.getMessage() + ". " + advice);
        }
    }

    /**
     * Launches {@code command} through {@code launcher}, wherever it runs its workers; its stderr is copied to the
     * temporary file by a daemon thread.
     *
     * @throws ProcPoolException if it cannot be launched
     */
    static YardstickProcess launch(String name, WorkerLauncher launcher, WorkerCommand command, String advice) {
        Path stderr = stderrFile(name);
        long start = System.nanoTime();
        LaunchedWorker worker;
        try {
            worker = launcher.launch(command);
        } catch (IOException | RuntimeException e) {
            delete(stderr);
            throw new ProcPoolException("cannot launch " + name + " with " + launcher + ": " + e.getMessage() + ". "
                    + advice);
        }
        Thread copier = new Thread(() -> copy(worker.stderr(), stderr), "procpool-bench-stderr");
        copier.setDaemon(true);
        copier.start();
        return new YardstickProcess(name, command.toList(), advice, stderr, start, worker);
    }

    private static Path stderrFile(String name) {
        try {
            return Files.createTempFile("procpool-bench-", ".stderr");
        } catch (IOException e) {
            throw new ProcPoolException("cannot create a temporary file for the stderr of " + name + ": " + e);
        }
    }

    private static void copy(InputStream from, Path to) {
        try (InputStream in = from; OutputStream out = Files.newOutputStream(to)) {
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush(); // a failure message reads the file while the process may still run
            }
        } catch (IOException e) {
            // The process is gone, or the file was removed at close: nothing more to keep.
        }
    }

    /** {@link System#nanoTime()} just before the process was started. */
    long startNanos() {
        return startNanos;
    }

    OutputStream stdin() {
        return process.stdin();
    }

    InputStream stdout() {
        return process.stdout();
    }

    /**
     * Kills the process unless the returned watch is closed within {@code limit}: a read or a write blocked on its
     * pipes then ends, and {@link #failure} says which limit was hit.
     */
    Watch watch(Duration limit) {
        // Runs on the delay scheduler's own named daemon thread: killing takes no time.
        CompletableFuture<Void> kill = CompletableFuture.runAsync(() -> kill(limit),
                CompletableFuture.delayedExecutor(limit.toNanos(), TimeUnit.NANOSECONDS, Runnable::run));
        return () -> kill.cancel(false);
    }

    /** Kills the process now, because it ran past {@code limit}. */
    void kill(Duration limit) {
        killedAt = limit;
        process.kill();
    }

    /**
     * The failure of an exchange with this process, in one line: {@code what} went wrong, how the process ended (or
     * that it was killed at a time limit, or is still running), the last lines of its stderr, its command, and what
     * to do.
     */
    ProcPoolException failure(String what) {
        String where = process.host().equals("localhost") ? "" : " on " + process.host();
        StringBuilder message = new StringBuilder(name).append(" (pid ").append(process.pid()).append(where).append(") ")
                .append(what).append(": ").append(ending());
        List<String> tail = stderrTail();
        message.append(tail.isEmpty() ? "; it wrote nothing to stderr" : "; its last stderr lines: "
                + String.join(" | ", tail));
        message.append("; command: ").append(String.join(" ", command)).append(". ").append(advice);
        return new ProcPoolException(message.toString());
    }

    private String ending() {
        Duration limit = killedAt;
        if (limit != null) {
            return "it was killed at the time limit of " + (limit.toMillis() % 1000 == 0
                    ? limit.toSeconds() + " s" : limit.toMillis() + " ms");
        }
        try {
            return "it exited with status " + process.onExit().get(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Still running, as far as can be told.
        }
        return "it is still running";
    }

    /** The last lines of stderr, read from at most the file's last {@value #TAIL_BYTES} bytes. */
    private List<String> stderrTail() {
        try (RandomAccessFile file = new RandomAccessFile(stderr.toFile(), "r")) {
            long length = file.length();
            byte[] bytes = new byte[(int) Math.min(length, TAIL_BYTES)];
            file.seek(length - bytes.length);
            file.readFully(bytes);
            List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(line -> !line.isEmpty()).toList();
            return lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
        } catch (IOException e) {
            return List.of("(its stderr could not be read: " + e.getMessage() + ")");
        }
    }

    /** Closes its stdin, gives it {@value #EXIT_WAIT_SECONDS} s to exit, then kills it; removes the stderr file. */
    @Override
    public void close() {
        try {
            process.stdin().close();
        } catch (IOException e) {
            // Already gone: nothing to tell it.
        }
        try {
            process.onExit().get(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.kill();
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            process.kill();
        } finally {
            delete(stderr);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A leftover file in the temporary directory; nothing the benchmark can do about it.
        }
    }
}
