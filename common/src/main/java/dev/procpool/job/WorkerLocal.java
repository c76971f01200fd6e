package dev.procpool.job;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A value made once in each JVM that computes tasks, on first use: once in each worker process, and once in this JVM
 * for the runners on its threads. The per-worker set-up hook: load a table, open a model, warm a cache once per worker,
 * not once per task. Keep it as a component of the function (or job) that uses it; it travels as its {@link Setup},
 * which must travel too (a record, or a class without fields).
 *
 * <pre>{@code
 * record LoadTable(String path) implements WorkerLocal.Setup<Map<String, Long>> {
 *     public Map<String, Long> make() throws IOException { return read(Path.of(path)); }
 * }
 * record Lookup(WorkerLocal<Map<String, Long>> table) implements TaskFunction<String, Long> {
 *     public Long apply(String key) { return table.get().get(key); }
 * }
 * pool.map(new Lookup(WorkerLocal.of(new LoadTable("/data/table.csv"))), keys);
 * }</pre>
 *
 * <p>Equal setups share one value in a JVM. The value itself never travels, so it may be of any type. Thread-safe:
 * threads that ask at once wait for one {@code make}; a {@code make} that throws is tried again by the next
 * {@link #get()}.
 *
 * @param <T> the value's type
 */
public final class WorkerLocal<T> {

    /** How a worker makes its value: a value itself (a record, or a class without fields), so that it travels. */
    @FunctionalInterface
    public interface Setup<T> {
        /** Makes the value; runs once per JVM (again only if it threw). */
        T make() throws Exception;
    }

    /** The values of this JVM, by setup: equal setups share one. */
    private static final Map<Setup<?>, WorkerLocal<?>> MADE = new ConcurrentHashMap<>();

    private final Setup<T> setup;
    /** Guarded by {@code this}; read without it once made. */
    private volatile T value;
    private volatile boolean made;

    private WorkerLocal(Setup<T> setup) {
        this.setup = setup;
    }

    /** The value {@code setup} makes, once in each JVM that computes tasks. */
    @SuppressWarnings("unchecked")
    public static <T> WorkerLocal<T> of(Setup<T> setup) {
        Objects.requireNonNull(setup, "setup");
        return (WorkerLocal<T>) MADE.computeIfAbsent(setup, WorkerLocal::new);
    }

    /** How the value is made. */
    public Setup<T> setup() {
        return setup;
    }

    /**
     * This JVM's value, made on the first call.
     *
     * @throws IllegalStateException wrapping what {@code make} threw, if it did (the next call tries again)
     */
    public T get() {
        if (made) {
            return value;
        }
        synchronized (this) {
            if (!made) {
                try {
                    value = setup.make();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException("the set-up " + setup + " failed: " + e, e);
                }
                made = true;
            }
            return value;
        }
    }

    @Override
    public String toString() {
        return "WorkerLocal[" + setup + "]";
    }
}
