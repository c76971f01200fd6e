package dev.procpool.job;

import java.lang.foreign.MemorySegment;

/**
 * A value many tasks read, shared with the workers once instead of sent with every task: make one with
 * {@code runner.share(value)} and keep it as a component of the function (or job) that reads it.
 *
 * <pre>{@code
 * record Dot(Shared<double[]> weights) implements TaskFunction<double[], Double> { ... }
 * Shared<double[]> weights = pool.share(bigArray);
 * pool.map(new Dot(weights), rows);
 * }</pre>
 *
 * <p>A process pool sends a shared value to each worker once, before the first job or function that holds it; a large
 * {@code double[]}, {@code long[]}, {@code int[]} or {@code byte[]} (1 MiB or more) goes to local workers as a file
 * that each maps into memory, so that nothing of it passes through the pipes and the workers read the same pages. On
 * threads the handle holds the value itself.
 *
 * <p>A process pool takes the value as it is at {@code share(value)}: a change made to the object afterwards reaches no
 * worker (on threads the handle holds the object itself, so do not change a value once shared). A shared value lives
 * until it is closed ({@link #close()}) and the calls made before are done, or else as long as the runner that shared
 * it.
 *
 * <p>Implementations are thread-safe. A handle travels inside a job or function only, never as a task or a result.
 *
 * @param <T> the value's type: one that travels (boxed primitives, {@code String}, arrays of primitives, records of
 *     them, enums)
 */
public interface Shared<T> extends AutoCloseable {

    /**
     * The value. In a worker that mapped a large array, the first call copies it into this worker's heap, once; read
     * it through {@link #segment()} instead to read it where it lies.
     *
     * @throws IllegalStateException if the shared value was closed and the calls made before the close are done
     */
    T get();

    /**
     * A shared primitive array as memory, read-only and without copying: the worker's mapping of it, or on threads a
     * view of the array. Read it with {@code segment.getAtIndex(ValueLayout.JAVA_DOUBLE, i)} and the like.
     *
     * @throws UnsupportedOperationException if the value is not a {@code double[]}, {@code long[]}, {@code int[]} or
     *     {@code byte[]}
     * @throws IllegalStateException if the shared value was closed and the calls made before the close are done
     */
    MemorySegment segment();

    /**
     * Closes the shared value, in the JVM that shared it, with one rule on every runner: a call made before the close
     * reads the value for as long as it runs, and a call made after is refused. So every task of a {@code submit} or
     * {@code submitAll} made before reads it until its future completes (even one still waiting for a worker),
     * {@code map} and {@code run} until they return, and {@code mapAsCompleted} until its stream is consumed to the end
     * or closed. A job or function that holds the handle can no longer be submitted (the call throws
     * {@code JobNotSendableException}, saying the value was closed); a call on another thread at the moment of the
     * close is one or the other. Once the last call made before is done (and, on a process pool, its tasks have
     * settled or been cancelled), the runner lets go of the value: {@link #get()} and {@link #segment()} throw, and a
     * process pool deletes the file a large array was written to and tells each worker that has it to let go of it
     * too. Idempotent.
     *
     * @throws UnsupportedOperationException in a worker: only the JVM that shared a value closes it
     */
    @Override
    void close();
}
