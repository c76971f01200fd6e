package dev.procpool.job;

import java.util.List;

/**
 * A computation procpool can split into tasks, run anywhere (in a worker JVM, on a thread, or in the calling
 * thread) and combine. Implementations must be stateless and thread-safe: one instance serves every task.
 *
 * <p>A job is found by {@link #name()} through {@link JobRegistry}, on the coordinator and in every worker, so
 * an implementation needs a public no-argument constructor and a line in
 * {@code META-INF/services/dev.procpool.job.Job}.
 *
 * <p>The split and the combine order are fixed: {@link #task} depends only on its arguments, and partial results
 * are folded with {@link #combine} strictly in task order, starting from {@link #identity()}. That is what makes
 * every mode return a bit-identical result for the same size and task count.
 *
 * @param <T> the task type; it travels to workers, so it must be one of the types {@link WireTypes} lists or
 *            appear in {@link #wireTypes()}
 * @param <R> the result type of one task and of the whole job; the same rule applies
 */
public interface Job<T, R> {

    /** The name users pass as {@code --job}: lower case, no spaces. */
    String name();

    /** One line saying what the job computes. */
    String description();

    /** The size used when none is given: one that takes a few seconds on one core. */
    long defaultSize();

    /** The largest size this job accepts; sizes run from 1 to this. */
    default long maxSize() {
        return Long.MAX_VALUE;
    }

    /**
     * How many tasks {@link #task} splits {@code size} into when {@code requested} are asked for: at least 1
     * and at most {@code requested}, fewer where the size cannot be cut that finely.
     */
    int taskCount(long size, int requested);

    /**
     * Task {@code index} (from 0) of the {@code taskCount} that {@code size} is split into. Together the tasks
     * cover the job exactly once.
     */
    T task(long size, int taskCount, int index);

    /** Computes one task. Runs on whatever thread or process the runner chooses. */
    R compute(T task) throws Exception;

    /** The value the fold starts from: combining it with a partial result gives that partial result. */
    R identity();

    /** Folds the next partial result (in task order) into what has been combined so far. */
    R combine(R combined, R partial);

    /** The exact result as text: two results that differ in any bit must format differently. */
    default String format(R result) {
        return String.valueOf(result);
    }

    /**
     * Classes this job's tasks and results need on the wire beyond those {@link WireTypes} registers for every
     * job, in a fixed order (the order is part of the registration fingerprint). Each must be a record or an enum:
     * the wire format refuses other classes, arrays other than {@code byte[]}, {@code int[]}, {@code long[]} and
     * {@code double[]}, collections and maps, whose decoding could be made to exhaust the heap.
     */
    default List<Class<?>> wireTypes() {
        return List.of();
    }
}
