package dev.procpool.bench;

import dev.procpool.internal.WorkerCommand;
import dev.procpool.protocol.Protocol;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
     * thread streaming messages and a reader thread taking the echoes. Per repetition.
     */
    Samples pipelined(int workers, int repetitions) throws IOException, InterruptedException {
        double[] rates = new double[repetitions + 1];
        for (int r = 0; r <= repetitions; r++) {
            List<Process> echoes = new ArrayList<>();
            try {
                for (int i = 0; i < workers; i++) {
                    echoes.add(startEcho());
                }
                for (Process echo : echoes) {
                    awaitEcho(echo); // started and answering, so start-up stays out of the timing
                }
                long start = System.nanoTime();
                List<Thread> threads = new ArrayList<>();
                for (Process echo : echoes) {
                    threads.add(daemon("bench-echo-writer", () -> stream(echo.getOutputStream())));
                    threads.add(daemon("bench-echo-reader", () -> drain(echo.getInputStream())));
                }
                for (Thread thread : threads) {
                    thread.join(TimeUnit.MINUTES.toMillis(2));
                }
                rates[r] = (double) workers * PIPELINED_PER_WORKER / ((System.nanoTime() - start) / 1e9);
            } finally {
                for (Process echo : echoes) {
                    stop(echo);
                }
            }
        }
        // The first repetition warms both sides' code up; it is not reported.
        return new Samples(Arrays.copyOfRange(rates, 1, rates.length));
    }

    /** Time from spawning a bare JVM from the worker jar to its first byte on stdout, in milliseconds. */
    Samples bareStart(int repetitions) throws IOException, InterruptedException {
        double[] millis = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            long start = System.nanoTime();
            Process bare = new ProcessBuilder(java.toString(), "-cp", workerJar.toString(), Protocol.WORKER_MAIN_CLASS,
                    "--bare").redirectError(Redirect.DISCARD).start();
            if (bare.getInputStream().read() < 0) {
                throw new IOException("the bare JVM exited without writing");
            }
            millis[r] = (System.nanoTime() - start) / 1e6;
            bare.waitFor(10, TimeUnit.SECONDS);
        }
        return new Samples(millis);
    }

    private Process startEcho() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(WorkerCommand.BASE_FLAGS);
        command.addAll(List.of("-cp", workerJar.toString(), Protocol.WORKER_MAIN_CLASS, "--echo"));
        return new ProcessBuilder(command).redirectError(Redirect.DISCARD).start();
    }

    private static void awaitEcho(Process echo) throws IOException {
        byte[] message = new byte[MESSAGE_BYTES];
        echo.getOutputStream().write(message);
        echo.getOutputStream().flush();
        new DataInputStream(echo.getInputStream()).readFully(message);
    }

    private static void stream(OutputStream raw) {
        try (OutputStream out = new BufferedOutputStream(raw, 1 << 16)) {
            byte[] message = new byte[MESSAGE_BYTES];
            for (int i = 0; i < PIPELINED_PER_WORKER; i++) {
                out.write(message);
            }
        } catch (IOException e) {
            // The reader sees the short count.
        }
    }

    private static void drain(InputStream raw) {
        try {
            new BufferedInputStream(raw, 1 << 16).readNBytes(PIPELINED_PER_WORKER * MESSAGE_BYTES);
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
