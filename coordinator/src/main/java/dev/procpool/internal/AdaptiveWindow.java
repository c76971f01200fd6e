package dev.procpool.internal;

/**
 * The window that follows the tasks' duration. One task at a time while unknown or long (20 ms or more): no task
 * waits behind a long one while another worker idles, so uneven jobs balance like a shared queue. One queued behind
 * shorter tasks. For tiny tasks, as many as the worker computes in {@code queuedWorkNanos}, at most
 * {@code maxWindow}, so throughput grows without any task waiting long. Immutable.
 *
 * @param queuedWorkNanos how much work a worker holds when its tasks are short
 * @param maxWindow the most tasks a worker holds
 */
record AdaptiveWindow(long queuedWorkNanos, int maxWindow) implements WindowPolicy {

    static final long LONG_TASK_NANOS = 20_000_000;
    /** For a pipe: about a millisecond of work, at most 4,096 tasks. */
    static final AdaptiveWindow INSTANCE = new AdaptiveWindow(1_000_000, 4096);
    /**
     * For a link of small messages (see {@link dev.procpool.spi.WorkerLauncher#batchFrameBytes()}): answers come back
     * in many small frames, each crossing the link in its own time, so a worker holds about 16 ms of work, at most
     * 65,536 tasks, to stay busy while they travel.
     */
    static final AdaptiveWindow FOR_SMALL_MESSAGES = new AdaptiveWindow(16_000_000, 1 << 16);

    AdaptiveWindow {
        if (queuedWorkNanos < 1 || maxWindow < 2) {
            throw new IllegalArgumentException("queued work " + queuedWorkNanos + " ns, window " + maxWindow);
        }
    }

    @Override
    public int window(double taskNanos) {
        if (taskNanos < 0 || taskNanos >= LONG_TASK_NANOS) {
            return 1;
        }
        return (int) Math.max(2, Math.min(maxWindow, queuedWorkNanos / Math.max(1.0, taskNanos)));
    }
}
