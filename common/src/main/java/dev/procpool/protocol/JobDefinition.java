package dev.procpool.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * Coordinator to worker: the job (or function) whose tasks arrive under {@code key} from now on. Sent once per worker,
 * before the first batch of its tasks. The job itself travels encoded, as a value: a record with its components, a
 * class without fields as its class alone.
 *
 * <p>The arrays are not copied, for speed: whoever builds a definition must not change them afterwards.
 *
 * @param key the job's key in {@link TaskBatch}es
 * @param name the job's name, for messages
 * @param className the class of the job (or function), for messages
 * @param typeIds the ids of every class the job, its tasks and its results need: if one is not available on the
 *     worker, the job is not made there, and its tasks fail saying why
 * @param value the job, encoded with the sender's table ({@code writeClassAndObject})
 */
public record JobDefinition(long key, String name, String className, int[] typeIds, byte[] value) implements Message {

    public JobDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(typeIds, "typeIds");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JobDefinition that && key == that.key && name.equals(that.name)
                && className.equals(that.className) && Arrays.equals(typeIds, that.typeIds)
                && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, name, className, Arrays.hashCode(typeIds), Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        return "JobDefinition[" + key + ", " + name + " (" + className + "), " + value.length + " bytes]";
    }
}
