package dev.procpool.internal;

/**
 * How many tasks a worker may hold at once, given how long its tasks take (the dispatcher gives the duration of the
 * slowest job among those a worker holds and the next task's). Implementations are immutable and thread-safe.
 */
@FunctionalInterface
interface WindowPolicy {

    /**
     * The window for a worker whose tasks take {@code taskNanos} on average, or a negative number while their
     * duration is not known yet; at least 1.
     */
    int window(double taskNanos);

    /** Always {@code tasks}, whatever the tasks take. */
    static WindowPolicy fixed(int tasks) {
        if (tasks < 1) {
            throw new IllegalArgumentException("a fixed window holds at least 1 task, was " + tasks);
        }
        return taskNanos -> tasks;
    }

    /** The window that adapts to the tasks: see {@link AdaptiveWindow}. */
    static WindowPolicy adaptive() {
        return AdaptiveWindow.INSTANCE;
    }

    /**
     * {@code fixed(tasks)} for a positive setting, else the adaptive window for the workers' link: deeper on a link
     * of small messages (see {@link AdaptiveWindow#FOR_SMALL_MESSAGES}).
     */
    static WindowPolicy of(int tasksInFlightPerWorker, boolean smallMessages) {
        if (tasksInFlightPerWorker > 0) {
            return fixed(tasksInFlightPerWorker);
        }
        return smallMessages ? AdaptiveWindow.FOR_SMALL_MESSAGES : adaptive();
    }
}
