package dev.procpool.protocol;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shared values one end of a channel knows, by id: a coordinator's, which it shared with its workers, or a
 * worker's, which it received. A handle in a job or function is resolved here as it is decoded. Thread-safe.
 */
public final class SharedStore {

    private final Map<Long, SharedValue<?>> byId = new ConcurrentHashMap<>();

    /** Keeps a value under its id. */
    public void put(SharedValue<?> value) {
        byId.put(value.id(), value);
    }

    /** The value under {@code id}, or null. */
    public SharedValue<?> get(long id) {
        return byId.get(id);
    }

    /** Lets go of the value under {@code id}; returns it, or null if there was none. */
    public SharedValue<?> remove(long id) {
        return byId.remove(id);
    }

    /** Whether {@code value} is the one kept under its id. */
    boolean holds(SharedValue<?> value) {
        return byId.get(value.id()) == value;
    }
}
