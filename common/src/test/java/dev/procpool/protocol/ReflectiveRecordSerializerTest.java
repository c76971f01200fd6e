package dev.procpool.protocol;

import static dev.procpool.protocol.Frames.assertThrowsWithoutAllocating;
import static dev.procpool.protocol.Frames.craftTaskBatch;
import static dev.procpool.protocol.Frames.frame;
import static dev.procpool.protocol.Frames.writeIdDelta;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.job.Range;
import com.esotericsoftware.kryo.io.Output;
import dev.procpool.jobs.MandelbrotJob;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** Records of user jobs travel component by component, and what arrives must pass their constructor. */
class ReflectiveRecordSerializerTest {

    enum Colour { RED, BLUE }

    /** Every kind of component: primitives, a final class, a nullable one, an enum, and an open type. */
    record Everything(int count, double weight, boolean flag, String name, String nothing, Colour colour,
            Object anything, long[] values) {
    }

    /** A record whose constructor checks its components. */
    record Positive(int value) {
        Positive {
            if (value <= 0) {
                throw new IllegalArgumentException("value must be positive, was " + value);
            }
        }
    }

    /** A record with a String component, which a plain class's field serializer would read unchecked. */
    record Named(String name) {
    }

    private final WireFormat format = formatOf(Everything.class, Positive.class, Colour.class, Named.class,
            MandelbrotJob.Rows.class);

    private static WireFormat formatOf(Class<?>... types) {
        WireFormat format = WireFormat.forCoordinator();
        for (Class<?> type : types) {
            format.register(type);
        }
        return format;
    }

    private Object roundTrip(Object task) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(bytes, format, 1 << 20);
        writer.write(TaskBatch.of(1, 9L, task));
        writer.flush();
        TaskBatch read = (TaskBatch) new FrameReader(new ByteArrayInputStream(bytes.toByteArray()), format, 1 << 20).read();
        return read.tasks()[0];
    }

    @Test
    void everyKindOfComponent_roundTrips() throws Exception {
        Everything sent = new Everything(7, 2.5, true, "seven", null, Colour.BLUE, new Range(3, 9), new long[] {1, 2});

        Everything read = (Everything) roundTrip(sent);

        assertEquals(7, read.count());
        assertEquals(2.5, read.weight());
        assertTrue(read.flag());
        assertEquals("seven", read.name());
        assertEquals(null, read.nothing());
        assertEquals(Colour.BLUE, read.colour());
        assertEquals(new Range(3, 9), read.anything(), "an open component keeps its class");
        assertEquals(2, read.values()[1]);
    }

    @Test
    void jobRecord_roundTrips() throws Exception {
        Object rows = new MandelbrotJob().task(2000, 8, 3);

        assertEquals(rows, roundTrip(rows));
    }

    @Test
    void componentsTheConstructorRefuses_failToDecode() throws Exception {
        // Encode a valid record, then change its one byte of content to a varint that reads as -1.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(bytes, format, 1 << 20);
        writer.write(TaskBatch.of(1, 9L, new Positive(1)));
        writer.flush();
        byte[] frame = bytes.toByteArray();
        assertEquals(2, frame[frame.length - 1], "the component, zigzag-encoded 1");
        frame[frame.length - 1] = 1; // zigzag for -1

        ProtocolException refused = assertThrows(ProtocolException.class,
                () -> new FrameReader(new ByteArrayInputStream(frame), format, 1 << 20).read());

        assertTrue(refused.getMessage().contains("refused what was read"), refused.getMessage());
    }

    @Test
    void aStringComponent_declaringMoreBytesThanTheFrameHolds_isRefusedWithoutAllocatingIt() throws Exception {
        Output payload = craftTaskBatch(9L, 1);
        writeIdDelta(payload, 1);
        new WireCodec(format).kryo().writeClass(payload, Named.class);
        payload.writeVarInt(Integer.MAX_VALUE, true); // the String's length + 1
        payload.writeBytes(new byte[16]);
        FrameReader reader = new FrameReader(new ByteArrayInputStream(frame(payload.toBytes())), format, 1 << 20);

        ProtocolException refused = assertThrowsWithoutAllocating(ProtocolException.class, reader::read);

        assertTrue(refused.getMessage().contains("declared length"), refused.getMessage());
    }

    @Test
    void anOpenComponent_holdingAnUnregisteredClass_cannotBeSent() {
        Everything sent = new Everything(1, 1, false, "x", null, Colour.RED, new StringBuilder("not registered"), null);

        EncodingException refused = assertThrows(EncodingException.class, () -> {
            FrameWriter writer = new FrameWriter(new ByteArrayOutputStream(), format, 1 << 20);
            writer.write(TaskBatch.of(1, 9L, sent));
        });

        assertTrue(refused.getMessage().contains("StringBuilder"), refused.getMessage());
    }
}
