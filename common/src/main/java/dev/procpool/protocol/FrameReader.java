package dev.procpool.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the handshake and message frames from one stream. Not thread-safe: one thread owns a reader, and the
 * reader owns its stream for its whole life (it reads ahead).
 *
 * <p>Every check happens before anything is allocated from what the peer declared: the magic, then the length
 * against the maximum, then the payload is read whole and decoded from memory, and must be consumed exactly.
 * Any failure is a {@link ProtocolException} and the stream is unusable afterwards.
 */
public final class FrameReader {

    /** How many stray bytes an error message shows. */
    private static final int STRAY_PREVIEW_BYTES = 160;

    private final WireFormat format;
    private final int maxFrameBytes;
    private final DataInputStream in;
    private final Input input = new Input();
    private final byte[] magic = new byte[4];
    private byte[] buffer = new byte[4096];
    private Kryo kryo;

    public FrameReader(InputStream in, WireFormat format, int maxFrameBytes) {
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be positive, was " + maxFrameBytes);
        }
        this.format = format;
        this.maxFrameBytes = maxFrameBytes;
        this.in = new DataInputStream(new BufferedInputStream(in, 1 << 16));
        this.kryo = format.newKryo();
    }

    /**
     * Reads the peer's handshake.
     *
     * @throws EOFException if the stream ends first (the peer exited before it was ready)
     * @throws ProtocolException if anything but a handshake arrives
     */
    public Handshake readHandshake() throws IOException {
        if (readMagic() != Protocol.HANDSHAKE_MAGIC) {
            throw strayBytes("a handshake");
        }
        try {
            return Handshake.readPayload(in);
        } catch (EOFException e) {
            throw new ProtocolException("the stream ended inside the handshake", e);
        }
    }

    /**
     * Reads the next message, or returns {@code null} if the stream ended cleanly between frames.
     *
     * @throws ProtocolException if the stream holds anything but a complete, valid frame
     */
    public Message read() throws IOException {
        int magic;
        try {
            magic = readMagic();
        } catch (EOFException e) {
            return null;
        }
        if (magic != Protocol.FRAME_MAGIC) {
            throw strayBytes("a frame");
        }
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            throw new ProtocolException("the stream ended inside a frame header", e);
        }
        if (length < 1 || length > maxFrameBytes) {
            throw new ProtocolException("a frame declares " + length + " payload bytes; the limit is " + maxFrameBytes);
        }
        if (buffer.length < length) {
            buffer = new byte[Math.max(length, Math.min(maxFrameBytes, buffer.length * 2))];
        }
        try {
            in.readFully(buffer, 0, length);
        } catch (EOFException e) {
            throw new ProtocolException("the stream ended inside a frame of " + length + " bytes", e);
        }
        return decode(length);
    }

    /**
     * Reads the four magic bytes into {@code magic}. Checked one at a time, so stray output is reported as soon
     * as it arrives, not once more of it has.
     *
     * @throws EOFException if the stream ended before the first byte
     * @throws ProtocolException if it ended after some but not all four
     */
    private int readMagic() throws IOException {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int b = in.read();
            if (b < 0) {
                if (i == 0) {
                    throw new EOFException();
                }
                throw new ProtocolException("the stream ended after stray bytes: \"" + printable(magic, i) + "\"");
            }
            magic[i] = (byte) b;
            value = (value << 8) | b;
        }
        return value;
    }

    private Message decode(int length) throws ProtocolException {
        input.setBuffer(buffer, 0, length);
        Object decoded;
        try {
            decoded = kryo.readClassAndObject(input);
        } catch (RuntimeException | StackOverflowError e) {
            // Kryo 5.6 leaves internal state behind after a failure: never reuse that instance.
            kryo = format.newKryo();
            throw new ProtocolException("a frame of " + length + " bytes does not decode: " + firstLine(e), e);
        }
        if (input.position() != length) {
            throw new ProtocolException("a frame of " + length + " bytes decoded from only its first "
                    + input.position() + " bytes");
        }
        if (!(decoded instanceof Message message)) {
            throw new ProtocolException("a frame holds " + (decoded == null ? "null" : decoded.getClass().getName())
                    + ", which is not a message");
        }
        return message;
    }

    private ProtocolException strayBytes(String expected) {
        byte[] preview = new byte[STRAY_PREVIEW_BYTES];
        System.arraycopy(magic, 0, preview, 0, magic.length);
        int count = magic.length;
        try {
            // Show what has already arrived without blocking on a peer that may never send more.
            int available = Math.min(in.available(), preview.length - count);
            if (available > 0) {
                count += in.read(preview, count, available);
            }
        } catch (IOException ignored) {
            // The preview is best effort; the error below is what matters.
        }
        return new ProtocolException("expected " + expected + " but read stray output: \"" + printable(preview, count) + "\"");
    }

    /** The bytes as text, with anything unprintable escaped, so stray output can be recognised in a message. */
    static String printable(byte[] bytes, int count) {
        StringBuilder text = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            int b = bytes[i] & 0xff;
            if (b == '\n') {
                text.append("\\n");
            } else if (b == '\r') {
                text.append("\\r");
            } else if (b == '\t') {
                text.append("\\t");
            } else if (b == '"' || b == '\\') {
                text.append('\\').append((char) b);
            } else if (b >= 0x20 && b < 0x7f) {
                text.append((char) b);
            } else {
                text.append(String.format("\\x%02x", b));
            }
        }
        return text.toString();
    }

    static String firstLine(Throwable e) {
        String message = e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
