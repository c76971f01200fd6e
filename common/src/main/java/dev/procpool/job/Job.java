package dev.procpool.job;

import java.util.List;

/**
 * A computation procpool can split into tasks, run anywhere (in a worker JVM, on a thread, or in the calling
 * thread) and combine. Implementations must be immutable and thread-safe: one instance serves every task.
 *
 * <p>A job is a value. A process pool sends the job object itself to each worker once, before the job's first task
 * there, so its configuration travels with it: a record arrives with its components ({@code record ScaledJob(long
 * factor) implements Job<...>} computes with the same factor everywhere), a class without instance fields arrives as
 * its class and is made again by its no-argument constructor, and a class with instance fields (whose values would be
 * lost) is refused on first use, before anything is sent. The library needs no services file; the command line finds
 * jobs by {@link #name()} through {@link JobRegistry}, which lists those named in
 * {@code META-INF/services/dev.procpool.job.Job} (each with a public no-argument constructor).
 *
 * <p>The split and the combine order are fixed: {@link #task} depends only on its arguments, and partial results
 * are folded with {@link #combine} strictly in task order, starting from {@link #identity()}. That is what makes
 * every mode return a bit-identical result for the same size and task count.
 *
 * @param <T> the task type; it travels to workers, so it must be one of the types {@link WireTypes} lists, or a
 *            record or enum of them (classes inside a component of type {@code Object} or an interface travel too when
 *            the task type or {@link #wireTypes()} names them)
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
     * Classes this job's results need on the wire beyond those its declared task and result types name: the records
     * and enums a result holds in a component of type {@code Object} or an interface, say (the declared types and the
     * job object itself are walked for the rest). Each must be a record or an enum: the wire format refuses other
     * classes, arrays other than {@code byte[]}, {@code int[]}, {@code long[]} and {@code double[]}, collections and
     * maps, whose decoding could be made to exhaust the heap.
     */
    default List<Class<?>> wireTypes() {
        return List.of();
    }
}
