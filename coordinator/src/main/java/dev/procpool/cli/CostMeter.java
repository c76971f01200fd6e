package dev.procpool.cli;

import dev.procpool.WorkerInfo;
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
 * sizes and thread counts summed. A worker on this machine is read from its process; one elsewhere (over SSH, a Slurm
 * step) as it reports itself over the protocol, where its threads are not counted. For virtual threads it also
 * measures the CPU time of the JVM's carrier threads, which is the virtual threads' own: the JVM does not report CPU
 * time per virtual thread. Thread-safe; one meter per mode.
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

    /**
     * A pool's workers, to measure: as they stand, after a fresh report from each (for the last sample, since
     * workers elsewhere report once a second), and those that ended during the run, as they stood at their end
     * (retired ones elsewhere said what they used as they left).
     */
    record Workers(Supplier<List<WorkerInfo>> now, Supplier<List<WorkerInfo>> fresh,
            Supplier<List<WorkerInfo>> ended) {
    }

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Workers workers;
    private final boolean carriers;
    private final long startCpuNanos = ownCpuNanos();
    private final Map<Long, Long> startCarrierCpuNanos;
    /** CPU time of each local worker, by pid, and of each worker elsewhere, by worker id, at its last sample. */
    private final Map<Long, Long> workerCpuNanos = new ConcurrentHashMap<>();
    private final Map<Integer, Long> reportedCpuNanos = new ConcurrentHashMap<>();
    /** Whether a worker elsewhere was sampled: its threads cannot be counted. */
    private volatile boolean elsewhere;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread sampler;
    private volatile long peakBytes = -1;
    private volatile int peakThreadCount = -1;
    private final Object stopping = new Object();
    /** What {@link #stop} measured; guarded by {@link #stopping}. */
    private Costs costs;

    /**
     * Starts measuring; {@code workers} are the worker processes to count, or null for none; with {@code carriers},
     * the CPU time of the JVM's carrier threads is measured too.
     */
    static CostMeter start(Workers workers, boolean carriers) {
        return new CostMeter(workers, carriers);
    }

    private CostMeter(Workers workers, boolean carriers) {
        this.workers = workers;
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
        stopped.countDown();
        try {
            sampler.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample(workers == null ? null : workers.fresh().get());
        if (workers != null) {
            countEnded(workers.ended().get());
        }
        long cpu = ownCpuNanos() - startCpuNanos;
        for (long workerCpu : workerCpuNanos.values()) {
            cpu += workerCpu;
        }
        for (long workerCpu : reportedCpuNanos.values()) {
            cpu += workerCpu;
        }
        OptionalInt peakThreads = peakThreadCount > 0 && !elsewhere ? OptionalInt.of(peakThreadCount)
                : OptionalInt.empty();
        return new Costs(cpu / 1e9, peakBytes < 0 ? Double.NaN : peakBytes / (1024.0 * 1024), peakThreads, carrierCpu);
    }

    private void sampleUntilStopped() {
        try {
            do {
                sample(workers == null ? null : workers.now().get());
                if (workers != null) {
                    countEnded(workers.ended().get()); // each sample: the pool keeps only the last ones
                }
            } while (!stopped.await(SAMPLE_MILLIS, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One sample: of this JVM when {@code workers} is null, else of those workers. */
    private synchronized void sample(List<WorkerInfo> workers) {
        long bytes = 0;
        int threadCount = 0;
        boolean read = false;
        if (workers == null) {
            ProcessStatus status = ProcessStatus.of(ProcessHandle.current().pid()).orElse(null);
            if (status != null) {
                bytes = status.residentBytes();
                threadCount = status.threads();
                read = true;
            }
        } else {
            for (WorkerInfo worker : workers) {
                if (worker.isLocal() && worker.pid() > 0) {
                    ProcessStatus status = ProcessStatus.of(worker.pid()).orElse(null);
                    if (status != null) {
                        bytes += status.residentBytes();
                        threadCount += status.threads();
                        read = true;
                    }
                    ProcessHandle.of(worker.pid()).flatMap(process -> process.info().totalCpuDuration())
                            .map(Duration::toNanos).ifPresent(nanos -> workerCpuNanos.put(worker.pid(), nanos));
                } else if (!worker.isLocal()) {
                    elsewhere = true;
                    if (worker.residentBytes() >= 0) {
                        bytes += worker.residentBytes();
                        read = true;
                    }
                    if (worker.cpuNanos() >= 0) {
                        reportedCpuNanos.merge(worker.id(), worker.cpuNanos(), Math::max);
                    }
                }
            }
        }
        if (read && bytes > peakBytes) {
            peakBytes = bytes;
        }
        if (read && threadCount > peakThreadCount) {
            peakThreadCount = threadCount;
        }
    }

    /**
     * Counts the CPU time of the workers elsewhere that ended, as they last reported it, each once: a worker that
     * retired after a short life may have reported nothing since it computed, until its last word. (One here was read
     * from its process every sample.)
     */
    private synchronized void countEnded(List<WorkerInfo> ended) {
        for (WorkerInfo worker : ended) {
            if (!worker.isLocal() && worker.cpuNanos() >= 0) {
                reportedCpuNanos.merge(worker.id(), worker.cpuNanos(), Math::max);
            }
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
