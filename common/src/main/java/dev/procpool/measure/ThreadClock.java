package dev.procpool.measure;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A stopwatch for the tasks one platform thread runs: between {@link #start()} and {@link #stop()} it measures wall
 * time, the thread's CPU time ({@link ThreadMXBean#getCurrentThreadCpuTime()}, exact) and, on Linux, the time the
 * thread was runnable but waited for a core (the run-queue delay in {@code /proc/thread-self/schedstat}). That last
 * figure is what tells a task that computed on a busy machine from a task that waited for I/O: both took longer than
 * their CPU time, but only the first was ready to run all along.
 *
 * <p>Reading those clocks costs 2 to 6 microseconds a task here, more than a tiny task itself, so
 * {@link #startTask(long)} and {@link #stopTask()} measure a sample of each group of tasks (a job run): its first task
 * on this thread; then, while the tasks measured take at least {@link #LONG_TASK_NANOS} each, every task; otherwise
 * one in {@link #SAMPLE_EVERY}, and the others not at all (not even their wall time: {@code System.nanoTime()} alone
 * costs 50 ns here).
 *
 * <p>Not thread-safe: the thread that opens a clock is the only one that may use it, and it must be a platform
 * thread (a virtual thread's CPU time is not reported by the JVM, and its carrier changes). {@link #close()} it when
 * done: it keeps the thread's statistics file open, so that each reading costs one {@code pread}.
 */
public final class ThreadClock implements AutoCloseable {

    private static final Path SCHEDSTAT = Path.of("/proc/thread-self/schedstat");
    /** Tasks at least this long are worth measuring every time: the readings cost about 1% of them. */
    static final long LONG_TASK_NANOS = 500_000;
    /** One in this many shorter tasks is measured. */
    static final int SAMPLE_EVERY = 64;

    private final Thread owner = Thread.currentThread();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final boolean cpuMeasured = threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
    private final ByteBuffer buffer = ByteBuffer.allocate(96);
    /** Null where the scheduler's statistics cannot be read: ready time then reads as zero. */
    private FileChannel schedstat;
    private long startWall;
    private long startCpu;
    private long startReady;
    /** Whether the task started last is in the sample. */
    private boolean sampled;
    /** The group of the tasks sampled lately; 0 before the first. */
    private long group;
    /** The wall time of the last task measured. */
    private long lastSampledNanos;
    private int sinceSample;

    private ThreadClock() {
        try {
            schedstat = FileChannel.open(SCHEDSTAT, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            schedstat = null;
        }
    }

    /**
     * A clock for the calling thread.
     *
     * @throws IllegalStateException if the calling thread is virtual
     */
    public static ThreadClock ofCurrentThread() {
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("a virtual thread's CPU time is not measurable: "
                    + Thread.currentThread());
        }
        return new ThreadClock();
    }

    /** Whether this clock reads the time spent waiting for a core (false: it reads as zero). */
    public boolean readsReadyTime() {
        return schedstat != null;
    }

    /** Starts measuring. */
    public void start() {
        checkOwner();
        startWall = System.nanoTime();
        startReady = readyNanos();
        startCpu = cpuNanos();
    }

    /** What the thread did since {@link #start()}. */
    public TaskUsage stop() {
        checkOwner();
        long cpu = cpuNanos() - startCpu;
        long ready = readyNanos() - startReady;
        long wall = Math.max(0, System.nanoTime() - startWall);
        return cpuMeasured ? new TaskUsage(wall, Math.max(0, cpu), Math.max(0, ready), true) : TaskUsage.wallOnly(wall);
    }

    /**
     * Starts measuring a task of {@code taskGroup}, if it is in the sample.
     *
     * @param taskGroup the group the task belongs to, such as a job run's id; 0 for a task of none, which is never
     *     measured
     */
    public void startTask(long taskGroup) {
        if (taskGroup == 0) {
            sampled = false;
            return;
        }
        if (taskGroup != group) {
            group = taskGroup;
            lastSampledNanos = Long.MAX_VALUE; // a new group: its first task here is measured
        }
        sampled = lastSampledNanos >= LONG_TASK_NANOS || ++sinceSample >= SAMPLE_EVERY;
        if (sampled) {
            sinceSample = 0;
            start();
        }
    }

    /** What the task started last did, if it is in the sample; {@link TaskUsage#NONE} if it is not. */
    public TaskUsage stopTask() {
        if (!sampled) {
            return TaskUsage.NONE;
        }
        TaskUsage usage = stop();
        lastSampledNanos = usage.wallNanos();
        return usage;
    }

    @Override
    public void close() {
        if (schedstat != null) {
            try {
                schedstat.close();
            } catch (IOException e) {
                // Only a read-only file of the kernel's: nothing was written that could be lost.
            }
            schedstat = null;
        }
    }

    private long cpuNanos() {
        return cpuMeasured ? threads.getCurrentThreadCpuTime() : 0;
    }

    /** The second field of {@code schedstat}: nanoseconds spent on a run queue; 0 if it cannot be read. */
    private long readyNanos() {
        if (schedstat == null) {
            return 0;
        }
        buffer.clear();
        try {
            schedstat.read(buffer, 0);
        } catch (IOException e) {
            close(); // it will not get better; from now on ready time reads as zero
            return 0;
        }
        return parseSecondField(buffer.array(), buffer.position());
    }

    /** The second of the space-separated decimal numbers in {@code bytes[0, length)}; 0 if there is none. */
    static long parseSecondField(byte[] bytes, int length) {
        int i = 0;
        while (i < length && bytes[i] != ' ') {
            i++;
        }
        i++;
        long value = 0;
        boolean digits = false;
        for (; i < length && bytes[i] >= '0' && bytes[i] <= '9'; i++) {
            value = value * 10 + (bytes[i] - '0');
            digits = true;
        }
        return digits ? value : 0;
    }

    private void checkOwner() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a thread clock is read only by the thread that opened it (" + owner.getName()
                    + "), not by " + Thread.currentThread().getName());
        }
    }
}
