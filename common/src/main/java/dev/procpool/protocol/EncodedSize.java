package dev.procpool.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import java.io.OutputStream;

/**
 * Measures what an object takes encoded, by encoding it into nothing but a count: it takes no memory, whatever the
 * size, so it can say how large an object too large for a frame is. Stateless.
 */
final class EncodedSize {

    private static final int BUFFER_BYTES = 4096;

    private EncodedSize() {
    }

    /**
     * The bytes {@code kryo.writeClassAndObject} takes for {@code object}.
     *
     * @throws RuntimeException what encoding threw: then {@code kryo} must be discarded
     */
    static long of(Kryo kryo, Object object) {
        CountingStream counted = new CountingStream();
        try (Output counting = new Output(counted, BUFFER_BYTES)) {
            kryo.writeClassAndObject(counting, object);
            counting.flush();
            return counted.count;
        }
    }

    /** Counts what is written to it, and keeps nothing. */
    private static final class CountingStream extends OutputStream {
        private long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            count += length;
        }
    }
}
