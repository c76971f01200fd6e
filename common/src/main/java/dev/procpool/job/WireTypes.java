package dev.procpool.job;

import java.util.List;

/**
 * The types every job may use for its tasks and results without listing them in {@link Job#wireTypes()}.
 * Immutable.
 *
 * <p>Anything else a task or result holds must be listed by its job, as a record or an enum: the wire format
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
