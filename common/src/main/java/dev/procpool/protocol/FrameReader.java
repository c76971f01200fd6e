package dev.procpool.protocol;

import com.esotericsoftware.kryo.io.Input;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Reads the handshake and message frames from one stream. Not thread-safe: one thread owns a reader, and the
 * reader owns its stream for its whole life (it reads ahead).
 *
 * <p>Frames are parsed in place from the reader's own buffer, filled with as many bytes as the stream has ready.
 * Every check happens before anything is allocated from what the peer declared: the magic (byte by byte, so stray
 * output is reported as soon as it arrives), then the length against the maximum, then the payload is decoded
 * from memory and must be consumed exactly. Any failure is a {@link ProtocolException} and the stream is
 * unusable afterwards.
 *
 * <p>A frame whose header something else wrote to the stream (native code of the peer's, a process that inherited
 * its descriptor) would leave the reader waiting for a payload that never comes. Told which heartbeat answers the
 * peer owes ({@link #watchForAnswers}), the reader finds one arriving inside a frame that is not complete yet, which
 * the peer cannot have sent (it writes each frame whole), and reports that frame at once.
 */
public final class FrameReader {

    private static final int HEADER_BYTES = Protocol.FRAME_HEADER_BYTES;
    private static final int STRAY_PREVIEW_BYTES = 160;
    private static final int START_BUFFER_BYTES = 1 << 16;
    private static final int RETAINED_BUFFER_BYTES = 1 << 20;
    private static final byte[] FRAME_MAGIC = Protocol.magicBytes(Protocol.FRAME_MAGIC);
    private static final byte[] HANDSHAKE_MAGIC = Protocol.magicBytes(Protocol.HANDSHAKE_MAGIC);
    /** More than a heartbeat answer's payload ever takes: its class and three variable-length longs. */
    private static final int MAX_ANSWER_BYTES = 64;

    private final InputStream in;
    private final WireCodec codec;
    private final int maxFrameBytes;
    private final Input input = new Input();
    /**
     * Bytes read but not yet consumed: {@code buffer[start, end)}. It grows to hold a whole frame, and goes back to
     * its starting size after a frame of more than {@link #RETAINED_BUFFER_BYTES}.
     */
    private byte[] buffer = new byte[START_BUFFER_BYTES];
    private int start;
    private int end;
    /** The oldest heartbeat the peer has not answered yet, 0 if none; null: not watched. */
    private LongSupplier oldestOwedAnswer;

    public FrameReader(InputStream in, WireFormat format, int maxFrameBytes) {
        this.maxFrameBytes = Protocol.checkMaxFrameBytes(maxFrameBytes);
        this.in = in;
        this.codec = new WireCodec(format);
    }

    /**
     * Has the reader look for the peer's heartbeat answers inside frames that have not arrived whole: one found there
     * means that frame was not the peer's, and {@link #read()} throws at once instead of waiting for the rest of it.
     *
     * @param oldestOwed the sequence of the oldest heartbeat the peer was sent and has not answered, 0 if none;
     *     called from the thread that reads
     */
    public void watchForAnswers(LongSupplier oldestOwed) {
        this.oldestOwedAnswer = oldestOwed;
    }

    /**
     * Whether more is there to read without waiting: bytes of the next frame already read, or waiting in the stream.
     * A hint (the stream may say 0 when it cannot tell); called from the thread that reads.
     */
    public boolean hasMoreReady() throws IOException {
        return end > start || in.available() > 0;
    }

    /**
     * Reads the peer's handshake.
     *
     * @throws EOFException if the stream ends first (the peer exited before it was ready)
     * @throws ProtocolException if anything but a handshake arrives
     */
    public Handshake readHandshake() throws IOException {
        if (!readMagic(HANDSHAKE_MAGIC, "a handshake")) {
            throw new EOFException("the stream ended before the handshake");
        }
        if (!fill(HEADER_BYTES - 4 + Handshake.PAYLOAD_BYTES)) {
            throw new ProtocolException("the stream ended inside the handshake");
        }
        Handshake handshake = Handshake.fromPayload(buffer, start + 4);
        start += 4 + Handshake.PAYLOAD_BYTES;
        if (handshake.protocolVersion() != Protocol.VERSION) {
            return handshake; // another build: its layout past the version may differ, and it will be refused
        }
        if (!fill(Short.BYTES)) {
            throw new ProtocolException("the stream ended inside the handshake");
        }
        int length = ((buffer[start] & 0xff) << 8) | (buffer[start + 1] & 0xff);
        if (length > Handshake.MAX_HOST_BYTES) {
            throw new ProtocolException("a handshake declares a host name of " + length + " bytes; the limit is "
                    + Handshake.MAX_HOST_BYTES);
        }
        if (!fill(Short.BYTES + length)) {
            throw new ProtocolException("the stream ended inside the handshake");
        }
        String host = new String(buffer, start + Short.BYTES, length, StandardCharsets.UTF_8);
        start += Short.BYTES + length;
        return handshake.withHost(host);
    }

    /**
     * Reads the next message, or returns {@code null} if the stream ended cleanly between frames.
     *
     * @throws ProtocolException if the stream holds anything but a complete, valid frame
     */
    public Message read() throws IOException {
        if (!readMagic(FRAME_MAGIC, "a frame")) {
            return null;
        }
        if (!fill(HEADER_BYTES)) {
            throw new ProtocolException("the stream ended inside a frame header");
        }
        int length = ((buffer[start + 4] & 0xff) << 24) | ((buffer[start + 5] & 0xff) << 16)
                | ((buffer[start + 6] & 0xff) << 8) | (buffer[start + 7] & 0xff);
        if (length < 1 || length > maxFrameBytes) {
            throw new ProtocolException("a frame declares " + length + " payload bytes; the limit is " + maxFrameBytes);
        }
        if (!fill(HEADER_BYTES + length, length)) {
            throw new ProtocolException("the stream ended inside a frame of " + length + " bytes");
        }
        Message message = decode(start + HEADER_BYTES, length);
        start += HEADER_BYTES + length;
        releaseLargeBuffer();
        return message;
    }

    /**
     * Checks the magic byte by byte as bytes arrive. Returns false if the stream ended before its first byte;
     * throws if it ended partway or a byte differs.
     */
    private boolean readMagic(byte[] magic, String expected) throws IOException {
        for (int i = 0; i < magic.length; i++) {
            if (!fill(i + 1)) {
                if (i == 0) {
                    return false;
                }
                throw new ProtocolException("the stream ended after stray bytes: \"" + printable(buffer, start, end - start) + "\"");
            }
            if (buffer[start + i] != magic[i]) {
                throw strayBytes(expected);
            }
        }
        return true;
    }

    /** Makes at least {@code count} unconsumed bytes available; returns false if the stream ends first. */
    private boolean fill(int count) throws IOException {
        return fill(count, -1);
    }

    /**
     * {@link #fill(int)}, for a frame of {@code frameLength} payload bytes whose header is at {@code start} (-1 if
     * the bytes are not a frame's): each read that leaves it incomplete is searched for an answer the peer owes.
     */
    private boolean fill(int count, int frameLength) throws IOException {
        if (end - start >= count) {
            return true;
        }
        if (buffer.length - start < count) {
            byte[] target = count > buffer.length ? new byte[Math.max(count, buffer.length * 2)] : buffer;
            System.arraycopy(buffer, start, target, 0, end - start);
            end -= start;
            start = 0;
            buffer = target;
        }
        while (end - start < count) {
            // Exactly what is missing: the stream below buffers (a pipe's stream does), and a request it cannot fill
            // at once makes it ask the system how much more is available (two more system calls a frame).
            int read = in.read(buffer, end, count - (end - start));
            if (read < 0) {
                return false;
            }
            end += read;
            if (frameLength >= 0 && oldestOwedAnswer != null && end - start < count) {
                findAnswerInside(frameLength, end - read);
            }
        }
        return true;
    }

    /**
     * Throws if a heartbeat answer the peer owes ends in the bytes from {@code arrivedFrom} on, inside the incomplete
     * frame at {@code start}. Only a complete frame counts, so the search reaches back far enough for an answer whose
     * first bytes came with an earlier read.
     */
    private void findAnswerInside(int frameLength, int arrivedFrom) throws ProtocolException {
        long oldestOwed = oldestOwedAnswer.getAsLong();
        if (oldestOwed == 0) {
            return;
        }
        int payload = start + HEADER_BYTES;
        for (int at = Math.max(payload, arrivedFrom - HEADER_BYTES - MAX_ANSWER_BYTES); at <= end - HEADER_BYTES;
                at++) {
            if (buffer[at] != FRAME_MAGIC[0] || !Arrays.equals(buffer, at, at + 4, FRAME_MAGIC, 0, 4)) {
                continue;
            }
            int length = ((buffer[at + 4] & 0xff) << 24) | ((buffer[at + 5] & 0xff) << 16)
                    | ((buffer[at + 6] & 0xff) << 8) | (buffer[at + 7] & 0xff);
            if (length < 1 || length > MAX_ANSWER_BYTES || at + HEADER_BYTES + length > end) {
                continue;
            }
            if (decodeQuietly(at + HEADER_BYTES, length) instanceof Heartbeat answer
                    && answer.sequence() >= oldestOwed) {
                throw new ProtocolException("a frame of " + frameLength + " bytes never completed: the answer to "
                        + "heartbeat " + answer.sequence() + " arrived " + (at - payload) + " bytes into it, and the "
                        + "peer writes each frame whole, so something else wrote that frame's header to the stream");
            }
        }
    }

    /** What the bytes decode to as a whole message, or null if they do not. */
    private Object decodeQuietly(int offset, int length) {
        Input candidate = new Input(buffer, offset, length);
        try {
            Object decoded = codec.kryo().readClassAndObject(candidate);
            return candidate.position() == offset + length ? decoded : null;
        } catch (RuntimeException | StackOverflowError e) {
            codec.discard(); // Kryo 5.6 leaves internal state behind after a failure
            return null;
        }
    }

    /** Lets go of a buffer grown for a rare large frame, once what was read past that frame fits a small one. */
    private void releaseLargeBuffer() {
        if (buffer.length > RETAINED_BUFFER_BYTES && end - start <= START_BUFFER_BYTES) {
            byte[] small = new byte[START_BUFFER_BYTES];
            System.arraycopy(buffer, start, small, 0, end - start);
            end -= start;
            start = 0;
            buffer = small;
            input.setBuffer(small, 0, 0); // the Input would keep the large one reachable
        }
    }

    private Message decode(int offset, int length) throws ProtocolException {
        input.setBuffer(buffer, offset, length);
        Object decoded;
        try {
            decoded = codec.kryo().readClassAndObject(input);
        } catch (RuntimeException | StackOverflowError e) {
            // Kryo 5.6 leaves internal state behind after a failure: never reuse that instance.
            codec.discard();
            throw new ProtocolException("a frame of " + length + " bytes does not decode: " + firstLine(e), e);
        }
        if (input.position() != offset + length) {
            throw new ProtocolException("a frame of " + length + " bytes decoded from only its first "
                    + (input.position() - offset) + " bytes");
        }
        if (!(decoded instanceof Message message)) {
            throw new ProtocolException("a frame holds " + (decoded == null ? "null" : decoded.getClass().getName())
                    + ", which is not a message");
        }
        return message;
    }

    /**
     * Decodes a value encoded on its own with the peer's table (a job in its {@link JobDefinition}), on the reader's
     * thread and with its Kryo, which holds every class the frames read so far have added.
     *
     * @throws RuntimeException or {@link LinkageError} as decoding it threw: a class that cannot be made, a constructor
     *     that refused what was read; the stream stays usable
     */
    public Object decodeValue(byte[] value) {
        Input alone = new Input(value);
        try {
            Object decoded = codec.kryo().readClassAndObject(alone);
            if (alone.position() != value.length) {
                throw new IllegalArgumentException("a value of " + value.length + " bytes decoded from only its first "
                        + alone.position());
            }
            return decoded;
        } catch (RuntimeException | LinkageError e) {
            codec.discard(); // Kryo 5.6 leaves internal state behind after a failure
            throw e;
        }
    }

    private ProtocolException strayBytes(String expected) {
        try {
            // Show what has already arrived without blocking on a peer that may never send more.
            int available = in.available();
            if (available > 0 && end - start < STRAY_PREVIEW_BYTES) {
                fill(Math.min(STRAY_PREVIEW_BYTES, end - start + available));
            }
        } catch (IOException ignored) {
            // The preview is best effort; the error below is what matters.
        }
        return new ProtocolException("expected " + expected + " but read stray output: \""
                + printable(buffer, start, Math.min(end - start, STRAY_PREVIEW_BYTES)) + "\"");
    }

    /** The bytes as text, with anything unprintable escaped, so stray output can be recognised in a message. */
    static String printable(byte[] bytes, int offset, int count) {
        StringBuilder text = new StringBuilder(count);
        for (int i = offset; i < offset + count; i++) {
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
