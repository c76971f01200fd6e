package dev.procpool.internal;

/**
 * The window that follows the tasks' duration. One task at a time while unknown or long (20 ms or more): no task
 * waits behind a long one while another worker idles, so uneven jobs balance like a shared queue. One queued behind
 * shorter tasks. For tiny tasks, as many as the worker computes in about a millisecond, so throughput grows without
 * any task waiting long. Stateless.
 */
enum AdaptiveWindow implements WindowPolicy {
    INSTANCE;

    static final long LONG_TASK_NANOS = 20_000_000;
    static final long QUEUED_WORK_NANOS = 1_000_000;
    static final int MAX_WINDOW = 4096;

    @Override
    public int window(double taskNanos) {
        if (taskNanos < 0 || taskNanos >= LONG_TASK_NANOS) {
            return 1;
        }
        return (int) Math.max(2, Math.min(MAX_WINDOW, QUEUED_WORK_NANOS / Math.max(1.0, taskNanos)));
    }
}
