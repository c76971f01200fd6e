package dev.procpool;

import dev.procpool.protocol.OneLine;
import dev.procpool.internal.TaskCallback;
import dev.procpool.internal.TaskSink;
import dev.procpool.job.Job;
import dev.procpool.measure.TaskUsage;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Computes each task on a virtual thread of its own, named {@code procpool-virtual-N}, at most {@code limit} at
 * once: the runner for tasks that mostly wait. A virtual thread that waits (sleeps, blocks on I/O or a lock) gives
 * its carrier thread back to the JVM, so thousands of waits overlap for the price of a few platform threads; one
 * that computes holds its carrier like any thread, and the JVM runs one carrier per core. Tasks beyond the limit
 * queue in submission order and start as running ones end. Thread-safe.
 *
 * <p>A job run reports the tasks' wall time but not their CPU time: the JVM does not measure a virtual thread's
 * CPU time ({@link java.lang.management.ThreadMXBean#getCurrentThreadCpuTime()} answers -1 on one), and the
 * carrier's is shared by every virtual thread it ran.
 */
public final class VirtualThreadRunner extends AbstractRunner {

    private static final long CLOSE_WAIT_MILLIS = 2_000;

    private final int limit;
    /** One permit per task that may run now. */
    private final Semaphore permits;
    private final Queue<Queued<?>> waiting = new ConcurrentLinkedQueue<>();
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private final ThreadFactory threads = Thread.ofVirtual().name("procpool-virtual-", 1).factory();
    private final Consumer<String> notices;
    private volatile boolean closed;

    /**
     * A runner whose notices go to stderr.
     *
     * @param limit how many tasks may run at once, each on its own virtual thread
     * @throws IllegalArgumentException if {@code limit} is below 1
     */
    public VirtualThreadRunner(int limit) {
        this(limit, GuardedNotices.STDERR);
    }

    /**
     * @param limit how many tasks may run at once, each on its own virtual thread
     * @param notices told, one line, which task called {@code System.exit} if one does (it ends this JVM)
     * @throws IllegalArgumentException if {@code limit} is below 1
     */
    public VirtualThreadRunner(int limit, Consumer<String> notices) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        this.limit = limit;
        this.notices = GuardedNotices.of(Objects.requireNonNull(notices, "notices"));
        this.permits = new Semaphore(limit);
    }

    @Override
    public Mode mode() {
        return Mode.VIRTUAL;
    }

    /** How many tasks run at once, at most. */
    @Override
    public int workers() {
        return limit;
    }

    @Override
    TaskSink sink() {
        return this::execute;
    }

    /** Queues each task, settling its callback. */
    private <T> void execute(Job<T, ?> job, List<T> tasks, List<? extends TaskCallback> callbacks) {
        if (closed) {
            throw new PoolClosedException("the virtual thread runner is closed");
        }
        for (int i = 0; i < tasks.size(); i++) {
            waiting.add(new Queued<>(job, tasks.get(i), callbacks.get(i)));
        }
        startWhatFits();
    }

    /** One task waiting for a permit. */
    private record Queued<T>(Job<T, ?> job, T task, TaskCallback callback) {
    }

    /**
     * Starts queued tasks while permits last. Called after tasks are queued and after each permit is released, so a
     * task queued while every permit was taken starts when the first running task ends.
     */
    private void startWhatFits() {
        while (!waiting.isEmpty() && permits.tryAcquire()) {
            Queued<?> next = waiting.poll();
            if (next == null) {
                permits.release(); // another thread took it between the check and the poll
            } else {
                threads.newThread(() -> run(next)).start();
            }
        }
    }

    private <T> void run(Queued<T> queued) {
        Thread self = Thread.currentThread();
        running.add(self);
        try {
            // Checked after joining running: close() either sees this thread and interrupts it, or this sees closed.
            if (closed) {
                queued.callback().failed(closedBeforeStart());
            } else if (!queued.callback().dropIfAbandoned()) {
                ExitWatch.jvm().started(queued.job().name(), queued.task(), notices);
                try {
                    compute(queued, self);
                } finally {
                    ExitWatch.jvm().finished();
                }
            }
        } finally {
            running.remove(self);
            permits.release();
            startWhatFits();
        }
    }

    private static <T> void compute(Queued<T> queued, Thread self) {
        long start = System.nanoTime();
        LocalTimeLimit limit = LocalTimeLimit.start(queued.callback(), queued.job().name(), queued.task());
        Object value;
        try {
            value = queued.job().compute(queued.task());
        } catch (Throwable e) {
            // Even an Error must settle the task, or its caller would wait forever.
            if (limit == null || limit.finish()) {
                queued.callback().failed(new TaskFailedException(queued.job().name(), OneLine.of(queued.task()),
                        "virtual thread " + self.getName(), e));
            }
            return;
        }
        if (limit != null && !limit.finish()) {
            return;
        }
        // Only a job run reads the usage; a task on its own is not measured.
        queued.callback().succeeded(value,
                queued.callback().runId() == 0 ? TaskUsage.NONE : TaskUsage.wallOnly(System.nanoTime() - start));
    }

    /**
     * Fails every task that has not started with {@link PoolClosedException}, interrupts running ones, and waits up
     * to two seconds for them to end. Idempotent.
     */
    @Override
    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        for (Queued<?> never = waiting.poll(); never != null; never = waiting.poll()) {
            never.callback().failed(closedBeforeStart());
        }
        List<Thread> interrupted = List.copyOf(running);
        interrupted.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        try {
            for (Thread thread : interrupted) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !thread.join(Duration.ofNanos(left))) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static PoolClosedException closedBeforeStart() {
        return new PoolClosedException("the virtual thread runner closed before the task started");
    }
}
