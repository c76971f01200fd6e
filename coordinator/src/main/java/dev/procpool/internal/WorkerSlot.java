package dev.procpool.internal;

import java.util.ArrayDeque;

/**
 * One ready worker's books in the {@link Dispatcher}: the tasks it holds in the order sent, which is the order it
 * answers in, and what the dispatcher knows of it. Not thread-safe: guarded by the dispatcher's lock.
 */
final class WorkerSlot {

    static final long LONG_TASK_NANOS = 20_000_000;
    static final long QUEUED_WORK_NANOS = 1_000_000;
    static final int MAX_WINDOW = 4096;

    final WorkerProcess worker;
    /** What it holds, in the order sent, which is the order it answers in. */
    final ArrayDeque<PendingTask> held = new ArrayDeque<>();
    /** Tasks ever given to this worker, for recycling. */
    int assigned;
    /** When the oldest held task started computing, by the dispatcher's clock. */
    long runningSince;
    /** It holds a suspect, which runs alone. */
    boolean isolating;
    /** It reached its quota: once empty it is told to shut down. */
    boolean retiring;
    /** Its oldest task ran past the time limit: it is being killed, and answers it sends now are expected. */
    boolean timedOut;
    /** Average compute time of its recent tasks; negative until its first results. */
    private double taskNanos = -1;

    WorkerSlot(WorkerProcess worker) {
        this.worker = worker;
    }

    /**
     * Whether it may be given tasks: it is ready or busy, not draining (quota reached, being killed for a time
     * limit) or dead (its end not yet reported).
     */
    boolean takesTasks() {
        WorkerState state = worker.state();
        return state == WorkerState.READY || state == WorkerState.BUSY;
    }

    /** The worker reported {@code busyNanos} of computing for {@code tasks} tasks. */
    void measured(long busyNanos, int tasks) {
        if (tasks > 0) {
            double perTask = (double) busyNanos / tasks;
            taskNanos = taskNanos < 0 ? perTask : 0.75 * taskNanos + 0.25 * perTask;
        }
    }

    /** How many tasks this worker may hold now: {@code fixedWindow} if positive, else as its tasks suggest. */
    int window(int fixedWindow) {
        return fixedWindow > 0 ? fixedWindow : adaptiveWindow(taskNanos);
    }

    /**
     * The window for tasks that take {@code taskNanos} on average (negative: not measured yet). One at a time while
     * unknown or long (20 ms or more): no task waits behind a long one while another worker idles, so uneven jobs
     * balance like a shared queue. One queued behind shorter tasks. For tiny tasks, as many as the worker computes
     * in about a millisecond, so throughput grows without any task waiting long.
     */
    static int adaptiveWindow(double taskNanos) {
        if (taskNanos < 0 || taskNanos >= LONG_TASK_NANOS) {
            return 1;
        }
        return (int) Math.max(2, Math.min(MAX_WINDOW, QUEUED_WORK_NANOS / Math.max(1.0, taskNanos)));
    }
}
