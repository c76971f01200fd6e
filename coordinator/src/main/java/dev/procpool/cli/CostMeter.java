package dev.procpool.cli;

import dev.procpool.internal.ResidentMemory;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Measures what one mode costs while it runs: the CPU time it used and its peak resident memory, sampled every
 * 20 ms by a daemon thread ({@code procpool-cost-meter}). For in-process modes that is this JVM; for worker
 * processes, this JVM's CPU plus the workers' (start-up included), and the workers' resident sizes summed.
 * Thread-safe; one meter per mode.
 */
final class CostMeter {

    private static final long SAMPLE_MILLIS = 20;

    /**
     * What a mode cost: CPU seconds in all, CPU seconds of the thread that started and stopped the meter (the
     * tasks' own, for a sequential run), and peak resident memory in MiB (NaN where it could not be read).
     */
    record Costs(double cpuSeconds, double callerCpuSeconds, double peakMebibytes) {
    }

    private final Supplier<List<Long>> workerPids;
    private final long startCpuNanos = ownCpuNanos();
    private final long startCallerCpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    private final Map<Long, Long> workerCpuNanos = new ConcurrentHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread sampler;
    private volatile long peakBytes = -1;
    private final Object stopping = new Object();
    /** What {@link #stop} measured; guarded by {@link #stopping}. */
    private Costs costs;

    /** Starts measuring; {@code workerPids} lists the worker processes to count, or is null for none. */
    static CostMeter start(Supplier<List<Long>> workerPids) {
        return new CostMeter(workerPids);
    }

    private CostMeter(Supplier<List<Long>> workerPids) {
        this.workerPids = workerPids;
        this.sampler = new Thread(this::sampleUntilStopped, "procpool-cost-meter");
        this.sampler.setDaemon(true);
        this.sampler.start();
    }

    /**
     * Stops measuring (call before the workers exit) and returns the costs; later calls return the same costs, so a
     * {@code finally} may stop a meter that the normal path already stopped.
     */
    Costs stop() {
        // Not on this: the sampler takes that lock, and stopping waits for the sampler.
        synchronized (stopping) {
            if (costs == null) {
                costs = measureAndStop();
            }
            return costs;
        }
    }

    private Costs measureAndStop() {
        long callerCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - startCallerCpuNanos;
        sample();
        stopped.countDown();
        try {
            sampler.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long cpu = ownCpuNanos() - startCpuNanos;
        for (long workerCpu : workerCpuNanos.values()) {
            cpu += workerCpu;
        }
        return new Costs(cpu / 1e9, callerCpu / 1e9, peakBytes < 0 ? Double.NaN : peakBytes / (1024.0 * 1024));
    }

    private void sampleUntilStopped() {
        try {
            do {
                sample();
            } while (!stopped.await(SAMPLE_MILLIS, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void sample() {
        long bytes = 0;
        boolean read = false;
        List<Long> pids = workerPids == null ? List.of(ProcessHandle.current().pid()) : workerPids.get();
        for (long pid : pids) {
            OptionalLong resident = ResidentMemory.bytes(pid);
            if (resident.isPresent()) {
                bytes += resident.getAsLong();
                read = true;
            }
            if (workerPids != null) {
                ProcessHandle.of(pid).flatMap(process -> process.info().totalCpuDuration())
                        .map(Duration::toNanos).ifPresent(nanos -> workerCpuNanos.put(pid, nanos));
            }
        }
        if (read && bytes > peakBytes) {
            peakBytes = bytes;
        }
    }

    private static long ownCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
