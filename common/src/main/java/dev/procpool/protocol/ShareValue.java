package dev.procpool.protocol;

import java.util.Arrays;

/**
 * Coordinator to worker: a shared value, inline, under the id jobs and functions refer to it by. Sent once per worker,
 * before the first definition that holds it. The value was encoded when it was shared, so every worker receives it as
 * it was then, whatever became of the object since. The array is not copied.
 *
 * @param id the value's id
 * @param value the value, encoded as a worker decodes it ({@link FrameReader#decodeValue})
 */
public record ShareValue(long id, byte[] value) implements Message {

    @Override
    public boolean equals(Object other) {
        return other instanceof ShareValue that && id == that.id && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "ShareValue[" + id + ", " + value.length + " bytes]";
    }
}
