package dev.procpool.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.KryoBufferOverflowException;
import com.esotericsoftware.kryo.io.Output;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes the handshake and message frames to one stream. Not thread-safe: one thread owns a writer.
 *
 * <p>Each message is encoded into a buffer first, so an encoding failure writes nothing and leaves the channel
 * usable. Frames are buffered until {@link #flush()}, which lets a caller send a batch with one system call.
 */
public final class FrameWriter implements Closeable {

    private final WireFormat format;
    private final int maxFrameBytes;
    private final DataOutputStream out;
    private final Output payload;
    private Kryo kryo;

    public FrameWriter(OutputStream out, WireFormat format, int maxFrameBytes) {
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be positive, was " + maxFrameBytes);
        }
        this.format = format;
        this.maxFrameBytes = maxFrameBytes;
        this.out = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
        this.payload = new Output(Math.min(4096, maxFrameBytes), maxFrameBytes);
        this.kryo = format.newKryo();
    }

    /** Buffers the handshake; call {@link #flush()} to send it. */
    public void writeHandshake(Handshake handshake) throws IOException {
        handshake.writeTo(out);
    }

    /**
     * Buffers one message frame; call {@link #flush()} to send it.
     *
     * @throws EncodingException if the message cannot be encoded; nothing was buffered
     * @throws IOException if the stream failed; the channel is broken
     */
    public void write(Message message) throws EncodingException, IOException {
        payload.reset();
        try {
            kryo.writeClassAndObject(payload, message);
        } catch (RuntimeException | StackOverflowError e) {
            // Kryo 5.6 leaves internal state behind after a failure: start again from a fresh instance.
            kryo = format.newKryo();
            throw new EncodingException(describeFailure(message, e), e);
        }
        out.writeInt(Protocol.FRAME_MAGIC);
        out.writeInt(payload.position());
        out.write(payload.getBuffer(), 0, payload.position());
    }

    /** Sends everything buffered. */
    public void flush() throws IOException {
        out.flush();
    }

    /** Flushes what is buffered, then closes the stream. */
    @Override
    public void close() throws IOException {
        out.close();
    }

    private String describeFailure(Message message, Throwable e) {
        String what = message.getClass().getSimpleName();
        if (e instanceof KryoBufferOverflowException) {
            return what + " does not fit in a frame of " + maxFrameBytes + " bytes";
        }
        return what + " cannot be encoded: " + FrameReader.firstLine(e);
    }
}
