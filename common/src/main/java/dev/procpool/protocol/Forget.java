package dev.procpool.protocol;

import java.util.Arrays;

/**
 * Coordinator to worker: no more tasks of these jobs will come under these keys, so the worker may let go of them.
 * A worker reads its messages in order, so the tasks sent before still run. The array is not copied.
 *
 * @param keys the keys of the jobs
 */
public record Forget(long[] keys) implements Message {

    @Override
    public boolean equals(Object other) {
        return other instanceof Forget that && Arrays.equals(keys, that.keys);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(keys);
    }

    @Override
    public String toString() {
        return "Forget" + Arrays.toString(keys);
    }
}
