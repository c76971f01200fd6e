package dev.procpool.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.procpool.job.Range;
import java.nio.charset.StandardCharsets;

/**
 * Serializers for strings and primitive arrays that check a declared length against the bytes left in the
 * frame before allocating. Kryo's own serializers allocate first, so six crafted bytes could demand a
 * 2^31-element array. Stateless and thread-safe.
 */
final class BoundedSerializers {

    private BoundedSerializers() {
    }

    /** Reads a length written as {@code length + 1} (0 meaning null) and checks it fits what is left. */
    static int readLength(Input input, int bytesPerElement) {
        int encoded = input.readVarInt(true);
        if (encoded == 0) {
            return -1;
        }
        int length = encoded - 1;
        long remaining = input.limit() - input.position();
        if (length < 0 || (long) length * bytesPerElement > remaining) {
            throw new KryoException("declared length " + length + " exceeds the " + remaining + " bytes left in the frame");
        }
        return length;
    }

    static void writeLength(Output output, Object array, int length) {
        output.writeVarInt(array == null ? 0 : length + 1, true);
    }

    static void writeString(Output output, String value) {
        if (value == null) {
            output.writeVarInt(0, true);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        output.writeVarInt(bytes.length + 1, true);
        output.writeBytes(bytes);
    }

    static String readString(Input input) {
        int length = readLength(input, 1);
        return length < 0 ? null : new String(input.readBytes(length), StandardCharsets.UTF_8);
    }

    static final class StringSerializer extends Serializer<String> {
        StringSerializer() {
            setImmutable(true);
            setAcceptsNull(true);
        }

        @Override
        public void write(Kryo kryo, Output output, String value) {
            writeString(output, value);
        }

        @Override
        public String read(Kryo kryo, Input input, Class<? extends String> type) {
            return readString(input);
        }
    }

    /**
     * {@link Range} as two zigzag varlongs: the most common task type, spelled out so the first task of a fresh JVM
     * does not wait for Kryo's reflective record serializer to set itself up. Its constructor checks what it reads.
     */
    static final class RangeSerializer extends Serializer<Range> {
        RangeSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, Range range) {
            output.writeVarLong(range.from(), false);
            output.writeVarLong(range.to(), false);
        }

        @Override
        public Range read(Kryo kryo, Input input, Class<? extends Range> type) {
            long from = input.readVarLong(false);
            long to = input.readVarLong(false);
            try {
                return new Range(from, to);
            } catch (IllegalArgumentException e) {
                throw new KryoException(e.getMessage());
            }
        }
    }

    static final class ByteArraySerializer extends Serializer<byte[]> {
        ByteArraySerializer() {
            setAcceptsNull(true);
        }

        @Override
        public void write(Kryo kryo, Output output, byte[] array) {
            writeLength(output, array, array == null ? 0 : array.length);
            if (array != null) {
                output.writeBytes(array);
            }
        }

        @Override
        public byte[] read(Kryo kryo, Input input, Class<? extends byte[]> type) {
            int length = readLength(input, Byte.BYTES);
            return length < 0 ? null : input.readBytes(length);
        }
    }

    static final class IntArraySerializer extends Serializer<int[]> {
        IntArraySerializer() {
            setAcceptsNull(true);
        }

        @Override
        public void write(Kryo kryo, Output output, int[] array) {
            writeLength(output, array, array == null ? 0 : array.length);
            if (array != null) {
                output.writeInts(array, 0, array.length);
            }
        }

        @Override
        public int[] read(Kryo kryo, Input input, Class<? extends int[]> type) {
            int length = readLength(input, Integer.BYTES);
            return length < 0 ? null : input.readInts(length);
        }
    }

    static final class LongArraySerializer extends Serializer<long[]> {
        LongArraySerializer() {
            setAcceptsNull(true);
        }

        @Override
        public void write(Kryo kryo, Output output, long[] array) {
            writeLength(output, array, array == null ? 0 : array.length);
            if (array != null) {
                output.writeLongs(array, 0, array.length);
            }
        }

        @Override
        public long[] read(Kryo kryo, Input input, Class<? extends long[]> type) {
            int length = readLength(input, Long.BYTES);
            return length < 0 ? null : input.readLongs(length);
        }
    }

    static final class DoubleArraySerializer extends Serializer<double[]> {
        DoubleArraySerializer() {
            setAcceptsNull(true);
        }

        @Override
        public void write(Kryo kryo, Output output, double[] array) {
            writeLength(output, array, array == null ? 0 : array.length);
            if (array != null) {
                output.writeDoubles(array, 0, array.length);
            }
        }

        @Override
        public double[] read(Kryo kryo, Input input, Class<? extends double[]> type) {
            int length = readLength(input, Double.BYTES);
            return length < 0 ? null : input.readDoubles(length);
        }
    }
}
