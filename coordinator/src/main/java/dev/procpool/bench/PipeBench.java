package dev.procpool.bench;

import dev.procpool.internal.WorkerCommand;
import dev.procpool.protocol.Protocol;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The machine's own limits, measured with the worker jar's {@code --echo} and {@code --bare} modes: nothing of
 * procpool in the way, so what procpool adds on top is its overhead. Not thread-safe; one benchmark at a time.
 */
final class PipeBench {

    private static final int MESSAGE_BYTES = 8;
    private static final int PING_PONGS = 5_000;
    private static final int PIPELINED_PER_WORKER = 500_000;

    private final Path java;
    private final Path workerJar;

    PipeBench(Path java, Path workerJar) {
        this.java = java;
        this.workerJar = workerJar;
    }

    /** Mean round trip of one 8-byte message through one echo worker, in microseconds, per repetition. */
    Samples pingPong(int repetitions) throws IOException, InterruptedException {
        Process echo = startEcho();
        try {
            OutputStream out = echo.getOutputStream();
            DataInputStream in = new DataInputStream(echo.getInputStream());
            byte[] message = new byte[MESSAGE_BYTES];
            pingPongs(out, in, message, PING_PONGS); // warm-up: both JVMs compile their loops
            double[] micros = new double[repetitions];
            for (int r = 0; r < repetitions; r++) {
                long start = System.nanoTime();
                pingPongs(out, in, message, PING_PONGS);
                micros[r] = (System.nanoTime() - start) / 1e3 / PING_PONGS;
            }
            return new Samples(micros);
        } finally {
            stop(echo);
        }
    }

    private static void pingPongs(OutputStream out, DataInputStream in, byte[] message, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            out.write(message);
            out.flush();
            in.readFully(message);
        }
    }

    /**
     * Round trips per second with nobody waiting for replies: each of {@code workers} echo workers gets a writer
     * thread streaming messages and a reader thread taking the echoes. The same workers serve every repetition,
     * after the same warm-up as the pool's ({@link PoolBench.Warmup}), so both are measured in their steady state.
     */
    Samples pipelined(int workers, int repetitions) throws IOException, InterruptedException {
        List<Process> echoes = new ArrayList<>();
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
                rates[r] = (double) workers * PIPELINED_PER_WORKER / ((System.nanoTime() - start) / 1e9);
            }
            return new Samples(rates);
        } finally {
            for (Process echo : echoes) {
                stop(echo);
            }
        }
    }

    /** Streams one round of messages through every echo worker at once and waits for all the echoes. */
    private static void stream(List<Process> echoes) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (Process echo : echoes) {
            threads.add(daemon("bench-echo-writer", () -> send(echo.getOutputStream())));
            threads.add(daemon("bench-echo-reader", () -> receive(echo.getInputStream())));
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.MINUTES.toMillis(2));
        }
    }

    /** Time from spawning a bare JVM from the worker jar to its first byte on stdout, in milliseconds. */
    double bareStart() throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process bare = new ProcessBuilder(java.toString(), "-cp", workerJar.toString(), Protocol.WORKER_MAIN_CLASS,
                "--bare").redirectError(Redirect.DISCARD).start();
        if (bare.getInputStream().read() < 0) {
            throw new IOException("the bare JVM exited without writing");
        }
        double millis = (System.nanoTime() - start) / 1e6;
        bare.waitFor(10, TimeUnit.SECONDS);
        return millis;
    }

    private Process startEcho() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(WorkerCommand.BASE_FLAGS);
        command.addAll(List.of("-cp", workerJar.toString(), Protocol.WORKER_MAIN_CLASS, "--echo"));
        return new ProcessBuilder(command).redirectError(Redirect.DISCARD).start();
    }

    private static void send(OutputStream raw) {
        // Buffered here, flushed once at the end; the stream itself stays open for the next round.
        OutputStream out = new BufferedOutputStream(raw, 1 << 16);
        try {
            byte[] message = new byte[MESSAGE_BYTES];
            for (int i = 0; i < PIPELINED_PER_WORKER; i++) {
                out.write(message);
            }
            out.flush();
        } catch (IOException e) {
            // The reader sees the short count.
        }
    }

    private static void receive(InputStream raw) {
        try {
            // No buffer of our own: a new one each round would read ahead into the next round and lose it.
            raw.readNBytes(PIPELINED_PER_WORKER * MESSAGE_BYTES);
        } catch (IOException e) {
            // Measured as whatever arrived.
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void stop(Process echo) throws InterruptedException {
        try {
            echo.getOutputStream().close();
        } catch (IOException e) {
            // Already gone.
        }
        if (!echo.waitFor(5, TimeUnit.SECONDS)) {
            echo.destroyForcibly();
        }
    }
}
