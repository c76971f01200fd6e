package dev.procpool.job;

/**
 * A computation of one input at a time, which a runner applies to many inputs at once: in worker processes, on threads
 * or on the calling thread ({@code pool.map(fn, inputs)}, {@code pool.submit(fn, input)}). The function is a value:
 * write it as a record whose components hold its configuration (or as a class without fields), and the process pool
 * sends it to each worker once, before its first input there. No {@code META-INF/services} entry is needed.
 *
 * <pre>{@code
 * record Scaled(double factor) implements TaskFunction<Double, Double> {
 *     public Double apply(Double x) { return x * factor; }
 * }
 * List<Double> out = pool.map(new Scaled(10), List.of(1.0, 2.0, 3.0)); // [10.0, 20.0, 30.0]
 * }</pre>
 *
 * <p>Inputs, outputs and the function's components travel with Kryo, and only what has a bounded encoding does: boxed
 * primitives, {@code String}, {@link Range}, {@code byte[]}, {@code int[]}, {@code long[]}, {@code double[]}, records
 * of these, and enums. A process pool checks the declared input and output types, and the function itself, when the
 * function is first used, before anything is sent, and refuses a lambda (a lambda's class exists only in the JVM that
 * made it), a collection, or a class with fields, saying what to use instead. {@code apply} must not depend on state
 * outside its arguments and components: each worker holds its own copy of the function.
 *
 * @param <I> the input type
 * @param <O> the output type
 */
@FunctionalInterface
public interface TaskFunction<I, O> {

    /** Computes the output for one input. Runs on whatever thread or process the runner chooses. */
    O apply(I input) throws Exception;
}
