package dev.procpool.bench;

import dev.procpool.ProcPoolException;
import dev.procpool.protocol.WorkerArguments;
import dev.procpool.spi.WorkerCommand;
import dev.procpool.spi.WorkerLauncher;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The machine's own limits, measured with the worker jar's {@code --echo} and {@code --bare} modes: nothing of
 * procpool in the way, so what procpool adds on top is its overhead. Every exchange with those JVMs has a time
 * limit, and one that fails or falls short fails the benchmark with a {@link ProcPoolException} saying why. Not
 * thread-safe; one benchmark at a time.
 */
final class PipeBench {

    static final int MESSAGE_BYTES = 8;
    private static final int PING_PONGS = 5_000;
    private static final int PIPELINED_PER_WORKER = 500_000;
    static final int ROUND_BYTES = PIPELINED_PER_WORKER * MESSAGE_BYTES;
    /** The time limit on one exchange: a JVM's start, a round of ping-pongs, a pipelined round of every echo. */
    static final Duration LIMIT = Duration.ofMinutes(2);

    private final Supplier<YardstickProcess> echoes;
    private final List<String> bareCommand;
    private final Duration limit;
    private final String advice;

    /**
     * @param echoes starts a JVM that echoes 8-byte messages from stdin to stdout until stdin ends
     * @param bareCommand starts a JVM that writes one byte to stdout and exits; null where none is measured
     * @param limit the time limit on each exchange
     * @param advice what the user can do when one of these JVMs fails
     */
    PipeBench(Supplier<YardstickProcess> echoes, List<String> bareCommand, Duration limit, String advice) {
        this.echoes = echoes;
        this.bareCommand = bareCommand == null ? null : List.copyOf(bareCommand);
        this.limit = limit;
        this.advice = advice;
    }

    /** Yardsticks started here: {@code echoCommand} echoes, {@code bareCommand} writes one byte. */
    PipeBench(List<String> echoCommand, List<String> bareCommand, Duration limit, String advice) {
        this(echoHere(List.copyOf(echoCommand), advice), bareCommand, limit, advice);
    }

    private static Supplier<YardstickProcess> echoHere(List<String> echoCommand, String advice) {
        return () -> YardstickProcess.start("the echo JVM", echoCommand, advice);
    }

    /**
     * The yardsticks of the worker jar that {@code worker} starts: the jar echoing, with a worker's JVM and flags, and
     * the jar in a bare JVM of the same JDK, without any flag.
     */
    static PipeBench of(WorkerCommand worker, Path workerJar) {
        List<String> echo = worker.withArguments(WorkerArguments.echo().toList()).toList();
        WorkerCommand bare = new WorkerCommand(worker.workerId(), worker.java(), List.of(), List.of(workerJar),
                worker.mainClass(), WorkerArguments.bare().toList());
        String advice = "Check that " + workerJar + " is the procpool-worker.jar of this build (./run.sh rebuilds it) "
                + "or name another with --worker-jar";
        return new PipeBench(echo, bare.toList(), LIMIT, advice);
    }

    /**
     * The pipe's limit through {@code launcher}: the worker jar echoing, started as the launcher starts workers
     * (through ssh, as a Slurm step), with a worker's JVM and flags. Measures echoes only.
     */
    static PipeBench through(WorkerLauncher launcher, WorkerCommand worker) {
        WorkerCommand echo = worker.withArguments(WorkerArguments.echo().toList());
        String advice = "Check that workers start with " + launcher + " (./run.sh with the same options)";
        return new PipeBench(() -> YardstickProcess.launch("the echo JVM", launcher, echo, advice), null, LIMIT,
                advice);
    }

    /** Mean round trip of one 8-byte message through one echo worker, in microseconds, per repetition. */
    Samples pingPong(int repetitions) {
        try (YardstickProcess echo = startEcho()) {
            DataInputStream in = new DataInputStream(echo.stdout());
            byte[] message = new byte[MESSAGE_BYTES];
            pingPongs(echo, in, message); // warm-up: both JVMs compile their loops
            double[] micros = new double[repetitions];
            for (int r = 0; r < repetitions; r++) {
                long start = System.nanoTime();
                pingPongs(echo, in, message);
                micros[r] = (System.nanoTime() - start) / 1e3 / PING_PONGS;
            }
            return new Samples(micros);
        }
    }

    private void pingPongs(YardstickProcess echo, DataInputStream in, byte[] message) {
        OutputStream out = echo.stdin();
        YardstickProcess.Watch watch = echo.watch(limit);
        try {
            for (int i = 0; i < PING_PONGS; i++) {
                out.write(message);
                out.flush();
                in.readFully(message);
            }
        } catch (EOFException e) {
            throw echo.failure("ended its output in the middle of a ping-pong");
        } catch (IOException e) {
            throw echo.failure("failed a ping-pong (" + e.getMessage() + ")");
        } finally {
            watch.close();
        }
    }

    /**
     * Round trips per second with nobody waiting for replies: each of {@code workers} echo workers gets a writer
     * thread streaming messages and a reader thread taking the echoes. The same workers serve every repetition,
     * after the same warm-up as the pool's ({@link PoolBench.Warmup}), so both are measured in their steady state.
     */
    Samples pipelined(int workers, int repetitions) throws InterruptedException {
        List<YardstickProcess> echoes = new ArrayList<>();
        try {
            for (int i = 0; i < workers; i++) {
                echoes.add(startEcho());
            }
            PoolBench.Warmup warmup = new PoolBench.Warmup();
            while (!warmup.steady()) {
                long start = System.nanoTime();
                stream(echoes);
                warmup.add(System.nanoTime() - start);
            }
            double[] rates = new double[repetitions];
            for (int r = 0; r < repetitions; r++) {
                long start = System.nanoTime();
                stream(echoes);
                // Every echo returned all of its round, or stream failed: the count is what was measured.
                rates[r] = (double) workers * PIPELINED_PER_WORKER / ((System.nanoTime() - start) / 1e9);
            }
            return new Samples(rates);
        } finally {
            for (YardstickProcess echo : echoes) {
                echo.close();
            }
        }
    }

    /**
     * Streams one round of messages through every echo worker at once and waits, against one deadline, for all
     * the echoes; fails if an echo fell short, a read or write failed, or the deadline passed (killing every echo).
     */
    private void stream(List<YardstickProcess> echoes) throws InterruptedException {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        List<CompletableFuture<Integer>> received = new ArrayList<>();
        for (int i = 0; i < echoes.size(); i++) {
            YardstickProcess echo = echoes.get(i);
            sent.add(CompletableFuture.runAsync(() -> send(echo.stdin()), daemon("procpool-bench-echo-" + i + "-writer")));
            received.add(CompletableFuture.supplyAsync(() -> receive(echo.stdout()),
                    daemon("procpool-bench-echo-" + i + "-reader")));
        }
        List<CompletableFuture<?>> all = new ArrayList<>(sent);
        all.addAll(received);
        CompletableFuture<Void> round = CompletableFuture.allOf(all.toArray(CompletableFuture<?>[]::new));
        try {
            round.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            for (YardstickProcess echo : echoes) {
                echo.kill(limit); // ends every blocked read and write, so the checks below see how far each got
            }
            awaitEnd(round);
        } catch (ExecutionException e) {
            // Said below, with the echo it came from.
        }
        for (int i = 0; i < echoes.size(); i++) {
            String shortfall = shortfall(sent.get(i), received.get(i));
            if (shortfall != null) {
                throw echoes.get(i).failure(shortfall);
            }
        }
    }

    /** Waits a bounded time for a round whose echoes were killed to end; it does at once, as their pipes close. */
    private static void awaitEnd(CompletableFuture<Void> round) throws InterruptedException {
        try {
            round.get(YardstickProcess.EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // The checks that follow say what each echo did.
        }
    }

    /** What went wrong with one echo's part of a round, or null if it echoed all of it. */
    static String shortfall(CompletableFuture<Void> sent, CompletableFuture<Integer> received) {
        if (!sent.isDone() || !received.isDone()) {
            return "did not finish a round of " + ROUND_BYTES + " bytes";
        }
        List<String> problems = new ArrayList<>();
        Throwable readFailure = failureOf(received);
        if (readFailure != null) {
            problems.add("could not be read (" + readFailure.getMessage() + ")");
        } else if (received.join() < ROUND_BYTES) {
            problems.add("echoed " + received.join() + " of the " + ROUND_BYTES + " bytes of a round");
        }
        Throwable writeFailure = failureOf(sent);
        if (writeFailure != null) {
            problems.add("could not be written to (" + writeFailure.getMessage() + ")");
        }
        return problems.isEmpty() ? null : String.join(" and ", problems);
    }

    /** The I/O failure that {@code future} ended with, or null if it succeeded. */
    private static Throwable failureOf(CompletableFuture<?> future) {
        if (!future.isCompletedExceptionally()) {
            return null;
        }
        Throwable failure = future.handle((value, thrown) -> thrown).join();
        while ((failure instanceof CompletionException || failure instanceof UncheckedIOException)
                && failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure;
    }

    /** Time from spawning a bare JVM from the worker jar to its first byte on stdout, in milliseconds. */
    double bareStart() {
        if (bareCommand == null) {
            throw new IllegalStateException("no bare JVM to measure through a launcher");
        }
        try (YardstickProcess bare = YardstickProcess.start("the bare JVM", bareCommand, advice)) {
            YardstickProcess.Watch watch = bare.watch(limit);
            int first;
            try {
                first = bare.stdout().read();
            } catch (IOException e) {
                throw bare.failure("could not be read (" + e.getMessage() + ")");
            } finally {
                watch.close();
            }
            long firstByte = System.nanoTime();
            if (first < 0) {
                throw bare.failure("ended its output without writing a byte");
            }
            // Closing it waits a bounded time for it to exit, as it does right after its byte, then kills it.
            return (firstByte - bare.startNanos()) / 1e6;
        }
    }

    private YardstickProcess startEcho() {
        return echoes.get();
    }

    /** Writes one round; buffered here, flushed once at the end; the stream itself stays open for the next round. */
    static void send(OutputStream raw) {
        OutputStream out = new BufferedOutputStream(raw, 1 << 16);
        try {
            byte[] message = new byte[MESSAGE_BYTES];
            for (int i = 0; i < PIPELINED_PER_WORKER; i++) {
                out.write(message);
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one round's echoes; returns how many bytes arrived, fewer than a round if the stream ended. */
    static int receive(InputStream raw) {
        try {
            // No buffer of our own: a new one each round would read ahead into the next round and lose it.
            return raw.readNBytes(ROUND_BYTES).length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs each task on a new daemon thread of this name. */
    private static Executor daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            thread.start();
        };
    }
}
