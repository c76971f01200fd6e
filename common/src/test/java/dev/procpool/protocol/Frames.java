package dev.procpool.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.function.Executable;

/**
 * Builds the bytes of a worker channel for protocol tests: frames written by the real writer, frames with any
 * header, and payloads crafted field by field the way the message serializers lay them out. Stateless.
 */
final class Frames {

    /** A coordinator's wire format, with the built-in jobs' record added. */
    static final WireFormat FORMAT = WireFormat.forCoordinator();

    static {
        FORMAT.register(dev.procpool.jobs.MandelbrotJob.Rows.class);
    }

    /** The production frame limit. */
    static final int LIMIT = Protocol.DEFAULT_MAX_FRAME_BYTES;

    /** Magic and length. */
    static final int HEADER_BYTES = 2 * Integer.BYTES;

    /**
     * What refusing a hostile frame may allocate: exception objects and first-use class loading, far below the
     * megabytes to gigabytes that trusting a declared length would cost.
     */
    private static final long ALLOCATION_BUDGET = 8L * 1024 * 1024;

    private Frames() {
    }

    /** The channel bytes the real writer produces for these messages. */
    static byte[] encode(int maxFrameBytes, Message... messages) throws IOException, EncodingException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(bytes, FORMAT, maxFrameBytes);
        for (Message message : messages) {
            writer.write(message);
        }
        writer.flush();
        return bytes.toByteArray();
    }

    /** The Kryo payload the real writer puts in this message's frame, checked to sit under a well-formed header. */
    static byte[] payloadOf(Message message) throws IOException, EncodingException {
        byte[] frame = encode(LIMIT, message);
        ByteBuffer header = ByteBuffer.wrap(frame, 0, HEADER_BYTES);
        assertEquals(Protocol.FRAME_MAGIC, header.getInt(), "frame magic");
        assertEquals(frame.length - HEADER_BYTES, header.getInt(), "frame length");
        return Arrays.copyOfRange(frame, HEADER_BYTES, frame.length);
    }

    /** A frame header declaring {@code declaredLength}, followed by {@code body} whatever its real length. */
    static byte[] frame(int magic, int declaredLength, byte[] body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            out.writeInt(declaredLength);
            out.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A well-formed frame around {@code payload}. */
    static byte[] frame(byte[] payload) {
        return frame(Protocol.FRAME_MAGIC, payload.length, payload);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            bytes.writeBytes(part);
        }
        return bytes.toByteArray();
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** A reader of a stream that holds {@code bytes} and then ends. */
    static FrameReader readerOf(byte[] bytes, int maxFrameBytes) {
        return new FrameReader(PipeSnapshot.closed(bytes), FORMAT, maxFrameBytes);
    }

    /** A reader of a pipe that holds {@code bytes} and is still open: the reader must not wait for more. */
    static FrameReader readerOfOpenPipe(byte[] bytes, int maxFrameBytes) {
        return new FrameReader(PipeSnapshot.open(bytes), FORMAT, maxFrameBytes);
    }

    /** A payload under construction that starts with {@code messageType}'s class, as the writer starts it. */
    static Output craft(Class<?> messageType) {
        Output out = new Output(64, -1);
        FORMAT.newKryo().writeClass(out, messageType);
        return out;
    }

    /** A {@link TaskBatch} payload up to its element count: class, job key, then {@code count}. */
    static Output craftTaskBatch(long job, int count) {
        Output out = craft(TaskBatch.class);
        out.writeVarLong(job, true);
        out.writeVarInt(count, true);
        return out;
    }

    /**
     * A {@link ResultBatch} payload up to its element count: class, {@code busyNanos}, zero CPU, ready and sampled time, then
     * {@code count}.
     */
    static Output craftResultBatch(long busyNanos, int count) {
        Output out = craft(ResultBatch.class);
        out.writeVarLong(busyNanos, true);
        out.writeVarLong(0, true); // CPU time
        out.writeVarLong(0, true); // ready time
        out.writeVarLong(0, true); // sampled time
        out.writeVarInt(count, true);
        return out;
    }

    /**
     * Writes a batch element's id as the batch serializers do: the difference from the previous id (0 before the
     * first), zigzag-encoded so that a smaller id than the previous one stays short.
     */
    static void writeIdDelta(Output out, long delta) {
        out.writeVarLong(delta, false);
    }

    /** Writes {@code type}'s class as Kryo's {@code writeClassAndObject} does before the object. */
    static void writeClass(Output out, Class<?> type) {
        Kryo kryo = FORMAT.newKryo();
        kryo.writeClass(out, type);
    }

    /** Writes a string as the protocol's bounded serializer does: UTF-8 length + 1 (0 for null), then the bytes. */
    static void writeString(Output out, String value) {
        if (value == null) {
            out.writeVarInt(0, true);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeVarInt(bytes.length + 1, true);
        out.writeBytes(bytes);
    }

    /**
     * Runs {@code executable}, which must throw {@code type} having allocated at most a few megabytes on this
     * thread; returns what it threw. An {@link OutOfMemoryError} fails the test instead of ending the test run.
     */
    static <T extends Throwable> T assertThrowsWithoutAllocating(Class<T> type, Executable executable) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        Throwable thrown = null;
        try {
            executable.execute();
        } catch (Throwable e) {
            thrown = e;
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        if (thrown instanceof OutOfMemoryError) {
            return fail("refusing the input ran out of memory", thrown);
        }
        assertTrue(allocated < ALLOCATION_BUDGET,
                () -> "refusing the input allocated " + allocated + " bytes; at most " + ALLOCATION_BUDGET + " expected");
        return assertInstanceOf(type, thrown, "what refusing the input threw");
    }
}
