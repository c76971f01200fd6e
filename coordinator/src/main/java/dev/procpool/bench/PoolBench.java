package dev.procpool.bench;

import dev.procpool.ProcessPool;
import dev.procpool.ProcessPoolBuilder;
import dev.procpool.jobs.NoopJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a process pool costs per task and to start, with default settings: the {@code noop} job one task at a
 * time and many at once, pool start-up, and the workers' resident memory. Not thread-safe.
 */
final class PoolBench {

    private static final int ROUND_TRIPS = 5_000;
    private static final NoopJob NOOP = new NoopJob();

    private PoolBench() {
    }

    /** Mean time to submit one no-op task and get its result, one after another, in microseconds. */
    static Samples roundTrip(ProcessPool pool, int repetitions) throws Exception {
        roundTrips(pool, ROUND_TRIPS); // warm-up
        double[] micros = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            long start = System.nanoTime();
            roundTrips(pool, ROUND_TRIPS);
            micros[r] = (System.nanoTime() - start) / 1e3 / ROUND_TRIPS;
        }
        return new Samples(micros);
    }

    private static void roundTrips(ProcessPool pool, int count)
            throws InterruptedException, ExecutionException, TimeoutException {
        for (int i = 0; i < count; i++) {
            pool.submit(NOOP, i).get(30, TimeUnit.SECONDS);
        }
    }

    /** No-op tasks per second for a run of {@code tasks} tasks through the pool as configured. */
    static Samples throughput(ProcessPool pool, int tasks, int repetitions) {
        pool.run(NOOP, 1, tasks); // warm-up
        double[] rates = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            long start = System.nanoTime();
            long ran = pool.run(NOOP, 1, tasks).value();
            rates[r] = ran / ((System.nanoTime() - start) / 1e9);
        }
        return new Samples(rates);
    }

    /** Start-up of a pool, in milliseconds, and each pool's largest idle worker resident size, in MiB. */
    static Samples[] startupAndIdleMemory(ProcessPoolBuilder builder, int repetitions) {
        builder.start().close(); // makes the class-data archive if it is missing, outside the timing
        double[] millis = new double[repetitions];
        double[] mebibytes = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            try (ProcessPool pool = builder.start()) {
                millis[r] = pool.startupTime().toNanos() / 1e6;
                mebibytes[r] = largestResidentMebibytes(pool.workerPids());
            }
        }
        return new Samples[] {new Samples(millis), new Samples(mebibytes)};
    }

    /** The largest resident set among these processes, in MiB, read from /proc; NaN where that is not there. */
    static double largestResidentMebibytes(List<Long> pids) {
        double largest = Double.NaN;
        for (long pid : pids) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        double kib = Double.parseDouble(line.replaceAll("[^0-9]", ""));
                        largest = Double.isNaN(largest) ? kib / 1024 : Math.max(largest, kib / 1024);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // Not Linux, or the process is gone: no reading for it.
            }
        }
        return largest;
    }
}
