package dev.procpool.measure;

/**
 * How tasks used their time on the threads that ran them: how long they took, how much of that the thread spent
 * on a core, and how much it spent ready to run but waiting for a core that other threads or programs held. What is
 * left, {@link #blockedNanos()}, is time the tasks waited for something else: I/O, a sleep, a lock. Immutable.
 *
 * @param wallNanos wall time from each task's start to its end, summed over the tasks measured (a sample of them, where
 *     tasks are tiny)
 * @param cpuNanos CPU time the threads used in that time
 * @param readyNanos time the threads were runnable but had no core; zero where the system does not tell (it is
 *     read from Linux's scheduler statistics)
 * @param cpuMeasured whether {@code cpuNanos} and {@code readyNanos} were measured: false for tasks on virtual
 *     threads, whose CPU time the JVM does not report
 */
public record TaskUsage(long wallNanos, long cpuNanos, long readyNanos, boolean cpuMeasured) {

    /** No tasks: what sums start from. */
    public static final TaskUsage NONE = new TaskUsage(0, 0, 0, true);

    public TaskUsage {
        if (wallNanos < 0 || cpuNanos < 0 || readyNanos < 0) {
            throw new IllegalArgumentException("negative time: wall " + wallNanos + " ns, CPU " + cpuNanos
                    + " ns, ready " + readyNanos + " ns");
        }
    }

    /** Tasks whose wall time alone is known. */
    public static TaskUsage wallOnly(long wallNanos) {
        return new TaskUsage(wallNanos, 0, 0, false);
    }

    /** Both together; CPU time stays measured only if it was for both. */
    public TaskUsage plus(TaskUsage other) {
        if (other == NONE) {
            return this; // most tasks of a sampled run: no allocation for them
        }
        return new TaskUsage(wallNanos + other.wallNanos, cpuNanos + other.cpuNanos, readyNanos + other.readyNanos,
                cpuMeasured && other.cpuMeasured);
    }

    /** An even share of this, one of {@code parts}: for tasks measured together, as one stretch. */
    public TaskUsage share(int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be at least 1, was " + parts);
        }
        return new TaskUsage(wallNanos / parts, cpuNanos / parts, readyNanos / parts, cpuMeasured);
    }

    /**
     * Wall time the tasks spent neither on a core nor waiting for one: waiting for something else. Zero if that
     * cannot be told, or if CPU time measured over a stretch that also covered some bookkeeping exceeds it.
     */
    public long blockedNanos() {
        return cpuMeasured ? Math.max(0, wallNanos - cpuNanos - readyNanos) : 0;
    }
}
