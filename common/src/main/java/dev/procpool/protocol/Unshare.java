package dev.procpool.protocol;

import java.util.Arrays;

/**
 * Coordinator to worker: these shared values were closed, so the worker lets go of them (and unmaps the files of large
 * arrays) once the tasks sent before this message have run. The array is not copied.
 *
 * @param ids the ids of the shared values
 */
public record Unshare(long[] ids) implements Message {

    @Override
    public boolean equals(Object other) {
        return other instanceof Unshare that && Arrays.equals(ids, that.ids);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return "Unshare" + Arrays.toString(ids);
    }
}
