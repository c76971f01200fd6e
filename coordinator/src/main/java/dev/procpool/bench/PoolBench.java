package dev.procpool.bench;

import dev.procpool.ProcessPool;
import dev.procpool.ProcessPoolBuilder;
import dev.procpool.jobs.NoopJob;
import dev.procpool.measure.ProcessStatus;
import java.util.List;
import java.util.Optional;
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
        Warmup warmup = new Warmup(); // both JVMs compile the paths of a round trip: steady state is what counts
        while (!warmup.steady()) {
            long start = System.nanoTime();
            roundTrips(pool, ROUND_TRIPS);
            warmup.add(System.nanoTime() - start);
        }
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

    /**
     * No-op tasks per second for a run of {@code tasks} tasks through the pool as configured, in the steady state
     * (see {@link Warmup}), then measured.
     */
    static Samples throughput(ProcessPool pool, int tasks, int repetitions) {
        Warmup warmup = new Warmup();
        while (!warmup.steady()) {
            long start = System.nanoTime();
            pool.run(NOOP, 1, tasks);
            warmup.add(System.nanoTime() - start);
        }
        double[] rates = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            long start = System.nanoTime();
            long ran = pool.run(NOOP, 1, tasks).value();
            rates[r] = ran / ((System.nanoTime() - start) / 1e9);
        }
        return new Samples(rates);
    }

    /**
     * Counts warm-up runs until the rate stops climbing: at least five runs and two seconds, then until three runs in a
     * row fail to beat the fastest so far by more than 5%, or thirty have run. The JIT of both JVMs climbs for a while,
     * slowly after the one-at-a-time round trips, whose profiles the batch paths must unlearn, and with plateaus on the
     * way: runs went 0.5, 0.7, 0.6, 0.6, 0.7, 0.8, 0.8, 1.1, 1.9, 2.3, 2.8, 3.4 M tasks/s here, where "two runs within
     * 10%" stopped at the fourth and "three without gain" alone at the fifth.
     */
    static final class Warmup {
        private static final int MIN_RUNS = 5;
        private static final long MIN_NANOS = 2_000_000_000L;
        private static final int MAX_RUNS = 30;
        private static final int RUNS_WITHOUT_GAIN = 3;
        private long fastest = Long.MAX_VALUE;
        private long total;
        private int withoutGain;
        private int runs;

        void add(long nanos) {
            runs++;
            total += nanos;
            if (nanos < fastest * 0.95) {
                withoutGain = 0;
            } else {
                withoutGain++;
            }
            fastest = Math.min(fastest, nanos);
        }

        boolean steady() {
            boolean warm = runs >= MIN_RUNS && total >= MIN_NANOS;
            return (warm && withoutGain >= RUNS_WITHOUT_GAIN) || runs >= MAX_RUNS;
        }
    }

    /**
     * Start-up measured repetition by repetition, each a bare JVM then a pool right after it.
     *
     * @param bareMillis a bare JVM's start, in milliseconds
     * @param poolMillis the pool's start-up, under the same conditions, in milliseconds
     * @param idleMebibytes the pool's largest idle worker resident size, in MiB
     */
    record Startup(Samples bareMillis, Samples poolMillis, Samples idleMebibytes) {
    }

    /** Per repetition, a bare JVM's start, then a pool's start-up right after it, under the same conditions. */
    static Startup startup(PipeBench pipe, ProcessPoolBuilder builder, int repetitions) {
        builder.start().close(); // makes the AOT cache if it is missing, outside the timing
        double[] bare = new double[repetitions];
        double[] millis = new double[repetitions];
        double[] mebibytes = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            bare[r] = pipe.bareStart();
            try (ProcessPool pool = builder.start()) {
                millis[r] = pool.startupTime().toNanos() / 1e6;
                mebibytes[r] = largestResidentMebibytes(pool.workerPids());
            }
        }
        return new Startup(new Samples(bare), new Samples(millis), new Samples(mebibytes));
    }

    /** The largest resident set among these processes, in MiB; NaN where it cannot be read. */
    static double largestResidentMebibytes(List<Long> pids) {
        return pids.stream().map(ProcessStatus::of).flatMap(Optional::stream)
                .mapToDouble(status -> status.residentBytes() / (1024.0 * 1024)).max().orElse(Double.NaN);
    }
}
