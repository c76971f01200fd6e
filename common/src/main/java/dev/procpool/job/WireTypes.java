package dev.procpool.job;

import java.util.List;

/**
 * The types every job and function may use for its tasks and results, always registered under fixed ids. Immutable.
 *
 * <p>Records and enums of these travel too: a process pool registers each as it is first used (a job's declared task
 * and result types, a function's input and output types, what a job object holds). Nothing else does: the wire format
 * refuses unregistered classes, which is what stops a stream from instantiating arbitrary classes.
 */
public final class WireTypes {

    /**
     * Boxed primitives and {@code String} (always registered), {@code byte[]}, {@code int[]}, {@code long[]} and
     * {@code double[]}, and {@link Range}.
     */
    public static final List<Class<?>> STANDARD = List.of(
            Integer.class, Long.class, Double.class, Float.class, Short.class, Byte.class, Character.class,
            Boolean.class, String.class,
            byte[].class, int[].class, long[].class, double[].class,
            Range.class);

    private WireTypes() {
    }
}
