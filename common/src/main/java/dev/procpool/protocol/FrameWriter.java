package dev.procpool.protocol;

import com.esotericsoftware.kryo.io.KryoBufferOverflowException;
import com.esotericsoftware.kryo.io.Output;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes the handshake and message frames to one stream. Not thread-safe: one thread at a time owns a writer.
 *
 * <p>Each message is encoded on its own, within the frame limit, then appended to a buffer of frames that reaches
 * the stream in a single write at {@link #flush()} (or once it passes 64 KiB), so a batch of messages costs one
 * system call. A frame of 64 KiB or more is not copied: what is buffered goes out with its header, then its payload
 * straight from where it was encoded. A message that fails to encode adds nothing and leaves the channel usable.
 */
public final class FrameWriter implements Closeable {

    private static final int WRITE_THRESHOLD = 1 << 16;
    private static final byte[] FRAME_MAGIC = Protocol.magicBytes(Protocol.FRAME_MAGIC);
    private static final int PAYLOAD_START_BYTES = 4096;
    private static final int RETAINED_PAYLOAD_BYTES = 1 << 20;

    private final OutputStream out;
    private final WireCodec codec;
    private final int maxFrameBytes;
    /**
     * Frames waiting for the next write to the stream. It holds only frames under {@link #WRITE_THRESHOLD} and is
     * written once it reaches that, so it never grows much past twice the threshold.
     */
    private final Output buffer = new Output(WRITE_THRESHOLD + 1024, -1);
    /** One message being encoded, bounded by the frame limit. */
    private final Output payload;

    public FrameWriter(OutputStream out, WireFormat format, int maxFrameBytes) {
        this.maxFrameBytes = Protocol.checkMaxFrameBytes(maxFrameBytes);
        this.out = out;
        this.codec = new WireCodec(format);
        this.payload = new Output(Math.min(PAYLOAD_START_BYTES, maxFrameBytes), maxFrameBytes);
    }

    /** Buffers the handshake; call {@link #flush()} to send it. */
    public void writeHandshake(Handshake handshake) {
        buffer.writeBytes(handshake.toBytes());
    }

    /**
     * Buffers one message frame, or sends it at once with everything buffered before it if it is large; call
     * {@link #flush()} to send it.
     *
     * @return the frame's payload, in bytes (the frame adds {@link Protocol#FRAME_HEADER_BYTES})
     * @throws EncodingException if the message cannot be encoded; nothing was buffered
     * @throws IOException if the stream failed; the channel is broken
     */
    public int write(Message message) throws EncodingException, IOException {
        return writeWithin(message, Integer.MAX_VALUE);
    }

    /**
     * Buffers one message frame as {@link #write} does if the frame, header included, takes at most
     * {@code frameBytes}; buffers nothing if it would take more.
     *
     * @return the frame's payload, in bytes; -1 if the frame would have been larger than {@code frameBytes}
     * @throws EncodingException if the message cannot be encoded; nothing was buffered
     * @throws IOException if the stream failed; the channel is broken
     */
    public int writeWithin(Message message, int frameBytes) throws EncodingException, IOException {
        try {
            encode(message);
            int length = payload.position();
            if (length > frameBytes - Protocol.FRAME_HEADER_BYTES) {
                return -1;
            }
            writeHeader(length);
            if (length < WRITE_THRESHOLD) {
                buffer.writeBytes(payload.getBuffer(), 0, length);
                if (buffer.position() >= WRITE_THRESHOLD) {
                    drain();
                }
            } else {
                drain();
                out.write(payload.getBuffer(), 0, length);
            }
            return length;
        } finally {
            // Only once the frame is out of it: setBuffer also moves the position back to 0.
            if (payload.getBuffer().length > RETAINED_PAYLOAD_BYTES) {
                payload.setBuffer(new byte[PAYLOAD_START_BYTES], maxFrameBytes); // do not keep a rare giant
            }
        }
    }

    /**
     * Encodes the message on its own first, in a buffer that cannot grow past the limit: an oversized message fails
     * without first taking all the memory it would need.
     */
    private void encode(Message message) throws EncodingException {
        payload.reset();
        try {
            codec.kryo().writeClassAndObject(payload, message);
        } catch (RuntimeException | StackOverflowError e) {
            // Kryo 5.6 leaves internal state behind after any failure, an overflow included: start again from a
            // fresh instance.
            codec.discard();
            String what = message.getClass().getSimpleName();
            if (e instanceof KryoBufferOverflowException) {
                long bytes = measure(message);
                throw new EncodingException(what + (bytes < 0 ? "" : " of " + bytes + " bytes")
                        + " does not fit in a frame of " + maxFrameBytes + " bytes", true, bytes, e);
            }
            throw new EncodingException(what + " cannot be encoded: " + FrameReader.firstLine(e), false, -1, e);
        }
    }

    /**
     * The size of a message too large for a frame, encoded into nothing but a count: it takes no memory, whatever the
     * size. -1 if it cannot be told.
     */
    private long measure(Message message) {
        try {
            return EncodedSize.of(codec.kryo(), message);
        } catch (RuntimeException | StackOverflowError e) {
            codec.discard();
            return -1;
        }
    }

    private void writeHeader(int length) {
        // Byte by byte: Kryo's writeInt is little-endian, and the header is big-endian.
        buffer.writeBytes(FRAME_MAGIC);
        buffer.writeByte(length >>> 24);
        buffer.writeByte(length >>> 16);
        buffer.writeByte(length >>> 8);
        buffer.writeByte(length);
    }

    /** Sends everything buffered. */
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    /** Sends what is buffered, then closes the stream. */
    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            out.close();
        }
    }

    private void drain() throws IOException {
        if (buffer.position() > 0) {
            int length = buffer.position();
            buffer.setPosition(0);
            out.write(buffer.getBuffer(), 0, length);
        }
    }
}
