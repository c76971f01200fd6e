package dev.procpool.cli;

import dev.procpool.measure.ProcessStatus;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Measures what one mode costs while it runs: the CPU time it used, and its peak resident memory and peak number of
 * OS threads, sampled every 20 ms by a daemon thread ({@code procpool-cost-meter}). For in-process modes that is
 * this JVM; for worker processes, this JVM's CPU plus the workers' (start-up included), and the workers' resident
 * sizes and thread counts summed. For virtual threads it
 * also measures the CPU time of the JVM's carrier threads, which is the virtual threads' own: the JVM does not report
 * CPU time per virtual thread. Thread-safe; one meter per mode.
 */
final class CostMeter {

    private static final long SAMPLE_MILLIS = 20;
    /** The class of the platform threads that run virtual threads, in JDK 21 to 25. */
    private static final String CARRIER_CLASS = "jdk.internal.misc.CarrierThread";

    /**
     * What a mode cost.
     *
     * @param cpuSeconds CPU seconds in all
     * @param peakMebibytes peak resident memory in MiB, NaN where it could not be read
     * @param peakThreads peak OS threads (the JVM's own included), where they could be counted
     * @param carrierCpuSeconds CPU seconds of the JVM's carrier threads (virtual threads' CPU time), NaN where no
     *     carrier threads were measured
     */
    record Costs(double cpuSeconds, double peakMebibytes, OptionalInt peakThreads, double carrierCpuSeconds) {
    }

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Supplier<List<Long>> workerPids;
    private final boolean carriers;
    private final long startCpuNanos = ownCpuNanos();
    private final Map<Long, Long> startCarrierCpuNanos;
    private final Map<Long, Long> workerCpuNanos = new ConcurrentHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread sampler;
    private volatile long peakBytes = -1;
    private volatile int peakThreadCount = -1;
    private final Object stopping = new Object();
    /** What {@link #stop} measured; guarded by {@link #stopping}. */
    private Costs costs;

    /**
     * Starts measuring; {@code workerPids} lists the worker processes to count, or is null for none; with
     * {@code carriers}, the CPU time of the JVM's carrier threads is measured too.
     */
    static CostMeter start(Supplier<List<Long>> workerPids, boolean carriers) {
        return new CostMeter(workerPids, carriers);
    }

    private CostMeter(Supplier<List<Long>> workerPids, boolean carriers) {
        this.workerPids = workerPids;
        this.carriers = carriers;
        this.startCarrierCpuNanos = carriers ? carrierCpuNanos() : Map.of();
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
        double carrierCpu = carriers ? carrierCpuSince(startCarrierCpuNanos) : Double.NaN;
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
        OptionalInt peakThreads = peakThreadCount > 0 ? OptionalInt.of(peakThreadCount) : OptionalInt.empty();
        return new Costs(cpu / 1e9, peakBytes < 0 ? Double.NaN : peakBytes / (1024.0 * 1024), peakThreads, carrierCpu);
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
        int threadCount = 0;
        boolean read = false;
        List<Long> pids = workerPids == null ? List.of(ProcessHandle.current().pid()) : workerPids.get();
        for (long pid : pids) {
            ProcessStatus status = ProcessStatus.of(pid).orElse(null);
            if (status != null) {
                bytes += status.residentBytes();
                threadCount += status.threads();
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
        if (read && threadCount > peakThreadCount) {
            peakThreadCount = threadCount;
        }
    }

    /** CPU nanoseconds of every live carrier thread, by thread id. */
    private Map<Long, Long> carrierCpuNanos() {
        Map<Long, Long> cpu = new HashMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getClass().getName().equals(CARRIER_CLASS)) {
                long nanos = threads.getThreadCpuTime(thread.threadId());
                if (nanos >= 0) {
                    cpu.put(thread.threadId(), nanos);
                }
            }
        }
        return cpu;
    }

    /**
     * The carriers' CPU seconds since {@code start}: a carrier started since then counts from zero; one that ended
     * in between is lost (the JVM keeps idle carriers for a while, so during a run they rarely end). NaN without
     * carriers.
     */
    private double carrierCpuSince(Map<Long, Long> start) {
        Map<Long, Long> now = carrierCpuNanos();
        if (now.isEmpty()) {
            return Double.NaN;
        }
        long nanos = 0;
        for (Map.Entry<Long, Long> carrier : now.entrySet()) {
            nanos += carrier.getValue() - start.getOrDefault(carrier.getKey(), 0L);
        }
        return Math.max(0, nanos) / 1e9;
    }

    private static long ownCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
