package dev.procpool.bench;

import dev.procpool.ProcessPool;
import dev.procpool.Runner;
import dev.procpool.ThreadRunner;
import dev.procpool.WorkerInfo;
import dev.procpool.job.Shared;
import dev.procpool.jobs.SharedSum;
import java.util.ArrayList;
import java.util.List;

/**
 * Data many tasks read: a large {@code double[]} shared once, then read by every task ({@link SharedSum}), on threads
 * and in a process pool, side by side in each repetition. Each run shares the array anew, so the pool writes it to a
 * file and each worker maps it, within the run. Not thread-safe.
 */
final class SharedBench {

    /** One repetition: both runs' wall times, and what the pool wrote to its workers during its run. */
    record Run(double threadSeconds, double processSeconds, double bytesSent) {
    }

    private final double[] values;
    private final List<Double> weights;

    /**
     * @param doubles the array's length
     * @param tasks how many tasks read it
     */
    SharedBench(int doubles, int tasks) {
        values = new double[doubles];
        for (int i = 0; i < doubles; i++) {
            values[i] = (i % 1000) / 7.0;
        }
        weights = new ArrayList<>();
        for (int t = 1; t <= tasks; t++) {
            weights.add((double) t);
        }
    }

    /** The array's size, in bytes. */
    long bytes() {
        return (long) values.length * Double.BYTES;
    }

    /**
     * From sharing the array to the last output, on {@code threads} and then on {@code pool} (started already).
     *
     * @throws IllegalStateException if the two runs' outputs differ in any bit
     */
    Run run(ThreadRunner threads, ProcessPool pool) {
        long start = System.nanoTime();
        List<Double> onThreads = sumAll(threads);
        double threadSeconds = (System.nanoTime() - start) / 1e9;
        long sentBefore = bytesSent(pool);
        start = System.nanoTime();
        List<Double> inProcesses = sumAll(pool);
        double processSeconds = (System.nanoTime() - start) / 1e9;
        double sent = bytesSent(pool) - sentBefore;
        if (!onThreads.equals(inProcesses)) {
            throw new IllegalStateException("threads and processes summed the shared array differently");
        }
        return new Run(threadSeconds, processSeconds, sent);
    }

    private List<Double> sumAll(Runner runner) {
        Shared<double[]> shared = runner.share(values);
        return runner.map(new SharedSum(shared), weights);
    }

    private static long bytesSent(ProcessPool pool) {
        return pool.workerInfo().stream().mapToLong(WorkerInfo::bytesSent).sum();
    }
}
