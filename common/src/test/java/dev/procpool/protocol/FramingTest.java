package dev.procpool.protocol;

import static dev.procpool.protocol.Frames.FORMAT;
import static dev.procpool.protocol.Frames.LIMIT;
import static dev.procpool.protocol.Frames.ascii;
import static dev.procpool.protocol.Frames.assertThrowsWithoutAllocating;
import static dev.procpool.protocol.Frames.concat;
import static dev.procpool.protocol.Frames.craft;
import static dev.procpool.protocol.Frames.craftResultBatch;
import static dev.procpool.protocol.Frames.craftTaskBatch;
import static dev.procpool.protocol.Frames.encode;
import static dev.procpool.protocol.Frames.frame;
import static dev.procpool.protocol.Frames.payloadOf;
import static dev.procpool.protocol.Frames.readerOf;
import static dev.procpool.protocol.Frames.readerOfOpenPipe;
import static dev.procpool.protocol.Frames.writeClass;
import static dev.procpool.protocol.Frames.writeIdDelta;
import static dev.procpool.protocol.Frames.writeString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import dev.procpool.job.Range;
import dev.procpool.jobs.MandelbrotJob;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The frame layer end to end: {@link FrameWriter} to bytes to {@link FrameReader}, valid traffic and every way a
 * peer's bytes can be wrong. Timeouts run the test on its own thread: a reader spinning on a bad buffer index
 * ignores interrupts, and would otherwise hang the build instead of failing.
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FramingTest {

    /** Bytes that follow a crafted length: enough for 16 bytes, 4 ints, 2 longs or 2 doubles exactly. */
    private static final int FILLER = 16;

    // ---- round trips ---------------------------------------------------------------------------------------

    static Stream<Arguments> payloads() {
        return Stream.of(
                arguments("Range", new Range(1, 1_000_000_000_000L)),
                arguments("empty Range", new Range(7, 7)),
                arguments("Long", 42L),
                arguments("Long.MIN_VALUE", Long.MIN_VALUE),
                arguments("Long.MAX_VALUE", Long.MAX_VALUE),
                arguments("Double", Math.PI),
                arguments("negative zero", -0.0),
                arguments("NaN", Double.NaN),
                arguments("String", "sqrt"),
                arguments("empty String", ""),
                arguments("non-ASCII String", "h\u00e9llo \u2713 \ud834\udd1e"),
                arguments("long[]", new long[] {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE}),
                arguments("empty long[]", new long[0]),
                arguments("byte[]", new byte[] {-128, 0, 127}),
                arguments("int[]", new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE}),
                arguments("double[]", new double[] {-0.0, Double.NaN, Double.MIN_VALUE}),
                arguments("Integer", -7),
                arguments("Boolean", true),
                arguments("Character", '\u2713'),
                arguments("Mandelbrot rows", new MandelbrotJob.Rows(100, 10, 20)),
                arguments("null", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void taskBatchOfOne_standardPayload_roundTrips(String description, Object payload) throws Exception {
        TaskBatch read = assertInstanceOf(TaskBatch.class, roundTrip(TaskBatch.of(Long.MAX_VALUE, 2L, payload)));

        assertEquals(2, read.job());
        assertArrayEquals(new long[] {Long.MAX_VALUE}, read.ids());
        assertSameValues(new Object[] {payload}, read.tasks());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void resultBatchOfOne_standardValue_roundTrips(String description, Object value) throws Exception {
        ResultBatch read = assertInstanceOf(ResultBatch.class, roundTrip(ResultBatch.of(0, value, 123_456_789L)));

        assertArrayEquals(new long[] {0}, read.ids());
        assertSameValues(new Object[] {value}, read.values());
        assertEquals(123_456_789L, read.busyNanos());
    }

    @Test
    void taskBatch_severalTasksOfMixedTypes_roundTripInOrder() throws Exception {
        long[] ids = {1, 2, 3, 10, 1_000_000, Long.MAX_VALUE};
        Object[] tasks = {new Range(1, 10), null, new long[] {1, -2}, "text", new MandelbrotJob.Rows(100, 10, 20), 7L};

        TaskBatch read = assertInstanceOf(TaskBatch.class, roundTrip(new TaskBatch(1L, ids.clone(), tasks.clone())));

        assertEquals(1, read.job());
        assertArrayEquals(ids, read.ids());
        assertSameValues(tasks, read.tasks());
    }

    @Test
    void resultBatch_severalValuesOfMixedTypes_roundTripInOrderWithBusyTime() throws Exception {
        long[] ids = {40, 41, 43, 47};
        Object[] values = {19.25, new byte[] {1, 2}, null, 5L};

        ResultBatch read = assertInstanceOf(ResultBatch.class, roundTrip(new ResultBatch(ids.clone(), values.clone(), 987_654_321L)));

        assertArrayEquals(ids, read.ids());
        assertSameValues(values, read.values());
        assertEquals(987_654_321L, read.busyNanos());
    }

    /** Ids are sent as zigzag deltas from the previous id, so every order and every long must survive. */
    static Stream<Arguments> idSequences() {
        return Stream.of(
                arguments("increasing by one", new long[] {5, 6, 7, 8, 9}),
                arguments("increasing with gaps", new long[] {0, 1, 200, 70_000, 1L << 40}),
                arguments("decreasing", new long[] {100, 50, 10, 0}),
                arguments("up and down", new long[] {10, 3, 3, 12, 0, 7}),
                arguments("repeated", new long[] {4, 4, 4}),
                arguments("deltas that overflow a long", new long[] {Long.MAX_VALUE, 0, Long.MIN_VALUE, -1, Long.MAX_VALUE,
                    Long.MIN_VALUE}),
                arguments("one negative id", new long[] {-5}),
                arguments("none", new long[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("idSequences")
    void taskBatch_anyIdSequence_roundTripsExactly(String description, long[] ids) throws Exception {
        Object[] tasks = new Object[ids.length];
        for (int i = 0; i < tasks.length; i++) {
            tasks[i] = new Range(i, 2L * i);
        }
        TaskBatch sent = new TaskBatch(2L, ids.clone(), tasks);

        TaskBatch read = assertInstanceOf(TaskBatch.class, roundTrip(sent));

        assertArrayEquals(ids, read.ids());
        assertEquals(sent, read);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("idSequences")
    void resultBatch_anyIdSequence_roundTripsExactly(String description, long[] ids) throws Exception {
        Object[] values = new Object[ids.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = 3L * i;
        }
        ResultBatch sent = new ResultBatch(ids.clone(), values, 42);

        ResultBatch read = assertInstanceOf(ResultBatch.class, roundTrip(sent));

        assertArrayEquals(ids, read.ids());
        assertEquals(sent, read);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 127, 128, 1_000_000_007L, Long.MAX_VALUE})
    void resultBatch_busyNanos_roundTrips(long busyNanos) throws Exception {
        ResultBatch sent = new ResultBatch(new long[] {3, 1, 2}, new Object[] {1.5, 2L, "three"}, busyNanos);

        ResultBatch read = assertInstanceOf(ResultBatch.class, roundTrip(sent));

        assertEquals(busyNanos, read.busyNanos());
        assertEquals(sent, read);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 127, 128, 1_000_000_007L, Long.MAX_VALUE})
    void resultBatch_cpuAndReadyTime_roundTrip(long nanos) throws Exception {
        ResultBatch sent = new ResultBatch(new long[] {3, 1}, new Object[] {1.5, 2L}, 7, nanos, Long.MAX_VALUE - nanos);

        ResultBatch read = assertInstanceOf(ResultBatch.class, roundTrip(sent));

        assertEquals(nanos, read.cpuNanos());
        assertEquals(Long.MAX_VALUE - nanos, read.readyNanos());
        assertEquals(sent, read);
    }

    @Test
    void taskBatch_tenThousandTasksWithConsecutiveIds_roundTrips() throws Exception {
        int count = 10_000;
        long[] ids = new long[count];
        Object[] tasks = new Object[count];
        for (int i = 0; i < count; i++) {
            ids[i] = (1L << 40) + i;
            tasks[i] = new Range(i, i + 1L);
        }
        TaskBatch sent = new TaskBatch(1L, ids, tasks);

        assertEquals(sent, roundTrip(sent));
    }

    @Test
    void taskFailure_realExceptionWithCause_keepsClassMessageFramesAndCause() throws Exception {
        IllegalStateException thrown = assertThrows(IllegalStateException.class, FramingTest::failWithCause);
        RemoteError sent = RemoteError.of(thrown);

        TaskFailure read = assertInstanceOf(TaskFailure.class, roundTrip(TaskFailure.threw(9, sent)));

        assertEquals(9, read.taskId());
        RemoteError error = read.error();
        assertEquals(IllegalStateException.class.getName(), error.className());
        assertEquals("task 9 failed: \u00fcn\u00efcode", error.message());
        assertFramesMatch(thrown.getStackTrace(), error.frames());
        assertEquals("failWithCause", error.frames()[0].method());
        RemoteError cause = error.cause();
        assertNotNull(cause, "the cause");
        assertEquals(IOException.class.getName(), cause.className());
        assertEquals("disk gone", cause.message());
        assertFramesMatch(thrown.getCause().getStackTrace(), cause.frames());
        assertEquals("throwIo", cause.frames()[0].method());
        assertNull(cause.cause());
        assertEquals(sent, error);
    }

    @Test
    void taskFailure_errorWithoutMessageOrFrames_roundTrips() throws Exception {
        RemoteError sent = new RemoteError("java.lang.NullPointerException", null, null, null);

        TaskFailure read = assertInstanceOf(TaskFailure.class, roundTrip(TaskFailure.threw(1, sent)));

        assertNull(read.error().message());
        assertEquals(0, read.error().frames().length);
        assertEquals(sent, read.error());
    }

    @Test
    void taskFailure_atFrameAndCauseLimits_roundTrips() throws Exception {
        RemoteFrame[] frames = new RemoteFrame[RemoteError.MAX_FRAMES];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = new RemoteFrame("a.B" + i, "m", i % 2 == 0 ? null : "B.java", i % 3 == 0 ? -2 : i);
        }
        RemoteError error = new RemoteError("E0", "deepest", frames, null);
        for (int depth = 1; depth <= RemoteError.MAX_CAUSE_DEPTH; depth++) {
            error = new RemoteError("E" + depth, null, new RemoteFrame[0], error);
        }

        TaskFailure read = assertInstanceOf(TaskFailure.class, roundTrip(TaskFailure.threw(3, error)));

        assertEquals(error, read.error());
    }

    @Test
    void shutdown_roundTrips() throws Exception {
        assertEquals(Shutdown.INSTANCE, roundTrip(Shutdown.INSTANCE));
    }

    @Test
    void handshake_thenFrames_roundTripInOrder() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(bytes, FORMAT, LIMIT);
        writer.writeHandshake(Handshake.of(FORMAT.fingerprint()));
        writer.write(ResultBatch.of(1, 2L, 3));
        writer.flush();
        FrameReader reader = readerOf(bytes.toByteArray(), LIMIT);

        Handshake handshake = reader.readHandshake();

        assertEquals(Handshake.of(FORMAT.fingerprint()), handshake);
        assertEquals(ProcessHandle.current().pid(), handshake.pid());
        assertFalse(handshake.host().isEmpty(), "the worker says where it runs");
        assertTrue(handshake.matches(FORMAT.fingerprint()));
        assertFalse(handshake.matches(FORMAT.fingerprint() + 1));
        assertFalse(new Handshake(Protocol.VERSION + 1, FORMAT.fingerprint(), 1, "h").matches(FORMAT.fingerprint()));
        assertEquals(ResultBatch.of(1, 2L, 3), reader.read());
        assertNull(reader.read());
    }

    @Test
    void handshake_isSentAsMagicThenBigEndianVersionFingerprintPidAndHost() throws Exception {
        Handshake handshake = new Handshake(Protocol.VERSION, 0x0102030405060708L, 0x1112131415161718L, "node-7");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(expected)) {
            data.writeInt(Protocol.HANDSHAKE_MAGIC);
            data.writeInt(Protocol.VERSION);
            data.writeLong(0x0102030405060708L);
            data.writeLong(0x1112131415161718L);
            data.writeShort(6);
            data.writeBytes("node-7");
        }
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(sent, FORMAT, LIMIT);

        writer.writeHandshake(handshake);
        writer.flush();

        assertArrayEquals(expected.toByteArray(), sent.toByteArray());
        assertEquals(handshake, readerOf(sent.toByteArray(), LIMIT).readHandshake());
    }

    @Test
    void handshake_strayOutputFirst_isRefusedShowingTheText() {
        byte[] bytes = concat(ascii("Picked up JAVA_TOOL_OPTIONS: -Xmx1g\n"), new byte[Handshake.PAYLOAD_BYTES + 4]);

        ProtocolException e = assertThrows(ProtocolException.class, readerOfOpenPipe(bytes, LIMIT)::readHandshake);

        assertTrue(e.getMessage().contains("Picked up JAVA_TOOL_OPTIONS: -Xmx1g\\n"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "P{", "PP{", "PPH{"})
    void handshake_wrongByteInOpenPipe_isRefusedAtThatByteWithoutWaitingForMore(String stray) {
        ProtocolException e = assertThrows(ProtocolException.class, readerOfOpenPipe(ascii(stray), LIMIT)::readHandshake);

        assertTrue(e.getMessage().contains(stray), e.getMessage());
    }

    @Test
    void handshake_streamEndsFirst_isEndOfFile() {
        assertThrows(EOFException.class, readerOf(new byte[0], LIMIT)::readHandshake);
    }

    @Test
    void handshake_streamEndsInsideIt_isProtocolException() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(bytes, FORMAT, LIMIT);
        writer.writeHandshake(Handshake.of(FORMAT.fingerprint()));
        writer.flush();
        byte[] cut = Arrays.copyOf(bytes.toByteArray(), bytes.size() - 1);

        assertThrows(ProtocolException.class, readerOf(cut, LIMIT)::readHandshake);
    }

    @Test
    void severalFrames_thenEndOfStream_readInOrderThenNull() throws Exception {
        Message[] sent = severalMessages();
        FrameReader reader = readerOf(encode(LIMIT, sent), LIMIT);

        for (Message message : sent) {
            assertEquals(message, reader.read());
        }
        assertNull(reader.read());
        assertNull(reader.read(), "end of stream stays end of stream");
    }

    // ---- buffering and delivery ----------------------------------------------------------------------------

    @Test
    void framesWrittenBeforeOneFlush_reachTheStreamInOneWriteAtFlush_intactAndInOrder() throws Exception {
        Message[] sent = severalMessages();
        RecordingStream sink = new RecordingStream();
        FrameWriter writer = new FrameWriter(sink, FORMAT, LIMIT);

        for (Message message : sent) {
            writer.write(message);
        }
        assertEquals(0, sink.size(), "bytes sent before flush");
        writer.flush();

        assertEquals(1, sink.writes, "writes to the stream");
        assertEquals(1, sink.flushes, "flushes of the stream");
        assertArrayEquals(framesWrittenOneByOne(sent), sink.toByteArray(), "the frames, byte for byte");
        FrameReader reader = readerOf(sink.toByteArray(), LIMIT);
        for (Message message : sent) {
            assertEquals(message, reader.read());
        }
        assertNull(reader.read());
    }

    @Test
    void framesAfterAFlush_followTheEarlierOnes() throws Exception {
        RecordingStream sink = new RecordingStream();
        FrameWriter writer = new FrameWriter(sink, FORMAT, LIMIT);
        TaskBatch first = TaskBatch.of(1, 1L, new Range(1, 2));
        ResultBatch second = ResultBatch.of(1, 2.5, 10);
        ResultBatch third = ResultBatch.of(2, 3.5, 20);

        writer.write(first);
        writer.flush();
        writer.write(second);
        writer.write(third);
        writer.flush();

        assertEquals(2, sink.writes, "writes to the stream");
        assertArrayEquals(framesWrittenOneByOne(first, second, third), sink.toByteArray());
    }

    @Test
    void flush_withNothingBuffered_writesNothing() throws Exception {
        RecordingStream sink = new RecordingStream();
        FrameWriter writer = new FrameWriter(sink, FORMAT, LIMIT);

        writer.flush();

        assertEquals(0, sink.writes, "writes to the stream");
        assertEquals(1, sink.flushes, "flushes of the stream");
    }

    @Test
    void moreThan64KiBBuffered_isSentBeforeFlush_andEveryFrameArrivesInOrder() throws Exception {
        RecordingStream sink = new RecordingStream();
        FrameWriter writer = new FrameWriter(sink, FORMAT, LIMIT);
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            sent.add(ResultBatch.of(i, i + "x".repeat(1_000), i));
        }

        for (Message message : sent) {
            writer.write(message);
        }
        int sentBeforeFlush = sink.size();
        writer.flush();

        assertTrue(sentBeforeFlush >= 64 * 1024, "bytes sent before flush: " + sentBeforeFlush);
        assertArrayEquals(framesWrittenOneByOne(sent.toArray(Message[]::new)), sink.toByteArray());
        FrameReader reader = readerOf(sink.toByteArray(), LIMIT);
        for (Message message : sent) {
            assertEquals(message, reader.read());
        }
        assertNull(reader.read());
    }

    @Test
    void close_sendsWhatIsBuffered_thenClosesTheStream() throws Exception {
        RecordingStream sink = new RecordingStream();
        FrameWriter writer = new FrameWriter(sink, FORMAT, LIMIT);
        writer.write(Shutdown.INSTANCE);

        writer.close();

        assertTrue(sink.closed, "the stream is closed");
        assertArrayEquals(encode(LIMIT, Shutdown.INSTANCE), sink.toByteArray());
    }

    /** Chunk sizes from one byte per read to more than the reader's 64 KiB buffer. */
    @ParameterizedTest(name = "reads of up to {0} bytes")
    @ValueSource(ints = {1, 7, 1_000, 65_536, 1 << 20})
    void bytesArrivingInPieces_handshakeAndFramesOfAnySize_readIntact(int maxChunk) throws Exception {
        List<Message> sent = new ArrayList<>();
        Random random = new Random(maxChunk);
        for (int i = 0; i < 60; i++) {
            int size = switch (i % 6) {
                case 0 -> 70_000 + random.nextInt(70_000); // more than the reader's buffer
                case 1 -> 60_000 + random.nextInt(6_000); // about the reader's buffer
                default -> random.nextInt(2_000);
            };
            sent.add(ResultBatch.of(i, "r".repeat(size), i));
            sent.add(TaskBatch.of(i, 2L, new Range(i, i + size)));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(bytes, FORMAT, LIMIT);
        writer.writeHandshake(Handshake.of(FORMAT.fingerprint()));
        for (Message message : sent) {
            writer.write(message);
        }
        writer.flush();
        FrameReader reader = new FrameReader(new ChunkedStream(bytes.toByteArray(), maxChunk, random), FORMAT, LIMIT);

        assertEquals(Handshake.of(FORMAT.fingerprint()), reader.readHandshake());
        for (Message message : sent) {
            assertEquals(message, reader.read());
        }
        assertNull(reader.read());
    }

    // ---- large frames --------------------------------------------------------------------------------------

    /** Sizes past the writer's 1 MiB retained buffer, up to just under the default 16 MiB frame limit. */
    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {2 * 1024 * 1024, 15 * 1024 * 1024})
    void largeMessage_underTheLimit_roundTripsIntact(int size) throws Exception {
        ResultBatch sent = ResultBatch.of(7, randomBytes(size, size), 42);

        ResultBatch read = assertInstanceOf(ResultBatch.class, roundTrip(sent));

        assertEquals(sent, read, "ids, busy time and every byte of the value");
    }

    /** Large frames between small ones, through a stream that hands out pipe-sized pieces or everything at once. */
    @ParameterizedTest(name = "reads of up to {0} bytes")
    @ValueSource(ints = {1 << 16, Integer.MAX_VALUE})
    void largeAndSmallMessagesInSequence_allArriveIntactAndInOrder(int maxChunk) throws Exception {
        List<Message> sent = List.of(
                ResultBatch.of(1, 1.5, 10),
                ResultBatch.of(2, randomBytes(2 * 1024 * 1024 + 3, 2), 20),
                TaskBatch.of(3, 2L, new Range(1, 100)),
                TaskBatch.of(4, 2L, randomLongs(1024 * 1024, 4)),
                ResultBatch.of(5, "small", 50),
                ResultBatch.of(6, randomBytes(15 * 1024 * 1024, 6), 60),
                ResultBatch.of(7, randomBytes(100_000, 7), 70),
                ResultBatch.of(8, randomBytes(3 * 1024 * 1024, 8), 80),
                Shutdown.INSTANCE);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(bytes, FORMAT, LIMIT);

        for (Message message : sent) {
            writer.write(message);
        }
        writer.flush();

        FrameReader reader = new FrameReader(new ChunkedStream(bytes.toByteArray(), maxChunk, new Random(maxChunk)),
                FORMAT, LIMIT);
        for (Message message : sent) {
            assertEquals(message, reader.read());
        }
        assertNull(reader.read());
    }

    @Test
    void largeFrame_goesStraightToTheStream_afterTheFramesBufferedBeforeIt() throws Exception {
        RecordingStream sink = new RecordingStream();
        FrameWriter writer = new FrameWriter(sink, FORMAT, LIMIT);
        ResultBatch small = ResultBatch.of(1, 2L, 3);
        ResultBatch large = ResultBatch.of(2, randomBytes(2 * 1024 * 1024, 2), 4);

        writer.write(small);
        writer.write(large);

        assertArrayEquals(framesWrittenOneByOne(small, large), sink.toByteArray(), "sent before any flush, in order");
        assertEquals(2, sink.writes, "writes: the buffered frames with the large frame's header, then its payload");
        writer.write(small);
        writer.flush();
        assertArrayEquals(framesWrittenOneByOne(small, large, small), sink.toByteArray());
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static long[] randomLongs(int size, long seed) {
        return new Random(seed).longs(size).toArray();
    }

    // ---- malformed frames ----------------------------------------------------------------------------------

    @Test
    void strayTextBeforeFrame_isRefusedShowingTheText() throws Exception {
        byte[] bytes = concat(ascii("Hello\n"), encode(LIMIT, Shutdown.INSTANCE));

        ProtocolException e = assertThrows(ProtocolException.class, readerOfOpenPipe(bytes, LIMIT)::read);

        assertTrue(e.getMessage().contains("Hello\\n"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "P{", "PP{", "PPF{"})
    void wrongByteOfTheMagicInOpenPipe_isRefusedAtThatByteWithoutWaitingForMore(String stray) {
        ProtocolException e = assertThrows(ProtocolException.class, readerOfOpenPipe(ascii(stray), LIMIT)::read);

        assertTrue(e.getMessage().contains(stray), e.getMessage());
    }

    @Test
    void strayOutput_isShownEscapedAndBounded() {
        byte[] bytes = concat(ascii("say \"hi\"\t\\"), new byte[] {0x00, 0x7f, (byte) 0xff}, ascii("x".repeat(5_000)));

        ProtocolException e = assertThrows(ProtocolException.class, readerOfOpenPipe(bytes, LIMIT)::read);

        String message = e.getMessage();
        assertTrue(message.contains("say \\\"hi\\\"\\t\\\\\\x00\\x7f\\xff"), message);
        assertTrue(message.contains("x".repeat(100)), message);
        assertTrue(message.length() < 1_000, () -> "a message of " + message.length() + " characters");
    }

    @Test
    void frameOverMaximum_isRefusedBeforeAllocating() {
        int declared = Integer.MAX_VALUE - 8;
        FrameReader reader = readerOfOpenPipe(frame(Protocol.FRAME_MAGIC, declared, new byte[0]), 1024);

        ProtocolException e = assertThrowsWithoutAllocating(ProtocolException.class, reader::read);

        assertTrue(e.getMessage().contains(String.valueOf(declared)), e.getMessage());
        assertTrue(e.getMessage().contains("limit is 1024"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {1025, 0, -1, Integer.MIN_VALUE})
    void frameLengthOutsideOneToMaximum_isRefused(int declared) {
        FrameReader reader = readerOfOpenPipe(frame(Protocol.FRAME_MAGIC, declared, new byte[1025]), 1024);

        ProtocolException e = assertThrowsWithoutAllocating(ProtocolException.class, reader::read);

        assertTrue(e.getMessage().contains(String.valueOf(declared)), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 10, 99})
    void truncatedFrame_isProtocolException(int bytesPresent) {
        FrameReader reader = readerOf(frame(Protocol.FRAME_MAGIC, 100, new byte[bytesPresent]), 1024);

        ProtocolException e = assertThrows(ProtocolException.class, reader::read);

        assertTrue(e.getMessage().contains("100"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
    void streamEndingInsideHeader_isProtocolException(int bytesPresent) throws Exception {
        byte[] cut = Arrays.copyOf(encode(LIMIT, Shutdown.INSTANCE), bytesPresent);

        assertThrows(ProtocolException.class, readerOf(cut, LIMIT)::read);
    }

    static Stream<Arguments> messagesOfEachType() {
        return Stream.of(
                arguments("TaskBatch", new TaskBatch(1L, new long[] {1, 2}, new Object[] {new Range(1, 2), new Range(2, 3)})),
                arguments("ResultBatch", new ResultBatch(new long[] {5, 4}, new Object[] {6L, 7L}, 8)),
                arguments("TaskFailure", TaskFailure.threw(3, new RemoteError("E", "m", null, null))),
                arguments("Shutdown", Shutdown.INSTANCE),
                arguments("TypeDefinitions", new TypeDefinitions(64, List.of(new WireType(64, "a.B", WireKind.RECORD,
                        -7, null, null)))),
                arguments("JobDefinition", new JobDefinition(9, "job", "a.Job", new int[] {64, 65}, new byte[] {1, 2})),
                arguments("Forget", new Forget(new long[] {3, 4})),
                arguments("ShareValue", new ShareValue(5, new byte[] {7, 8, 9})),
                arguments("ShareFile", new ShareFile(6, "/dev/shm/x", SharedValue.Element.DOUBLE, 1 << 20)),
                arguments("Unshare", new Unshare(new long[] {5, 6})));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messagesOfEachType")
    void everyMessage_roundTrips(String type, Message message) throws Exception {
        Message read = readerOf(encode(LIMIT, message), LIMIT).read();

        if (message instanceof TypeDefinitions sent) {
            // Only the name, kind and shape of each class travel: the reader loads the class itself.
            TypeDefinitions got = assertInstanceOf(TypeDefinitions.class, read);
            assertEquals(sent.firstId(), got.firstId());
            assertEquals(sent.types(), got.types());
        } else {
            assertEquals(message, read);
        }
    }

    @Test
    void resultTooLarge_carriesItsSize() throws Exception {
        TaskFailure sent = new TaskFailure(3, TaskFailure.Kind.RESULT_TOO_LARGE, new RemoteError("[J", "too large",
                null, null), 25_165_839);

        assertEquals(sent, readerOf(encode(LIMIT, sent), LIMIT).read());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messagesOfEachType")
    void trailingBytesAfterMessage_areRefused(String type, Message message) throws Exception {
        byte[] payload = concat(payloadOf(message), new byte[] {1, 2, 3});

        ProtocolException e = assertThrows(ProtocolException.class, readerOfOpenPipe(frame(payload), LIMIT)::read);

        assertTrue(e.getMessage().contains(String.valueOf(payload.length)), e.getMessage());
    }

    /** Payloads up to where a value's class is written: at the top, as a batch's task, as a batch's value. */
    static Stream<Arguments> classPositions() {
        Output task = craftTaskBatch(1L, 1);
        writeIdDelta(task, 1);
        Output value = craftResultBatch(0, 1);
        writeIdDelta(value, 1);
        return Stream.of(
                arguments("top level", new Output(16, -1)),
                arguments("task in a TaskBatch", task),
                arguments("value in a ResultBatch", value));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("classPositions")
    void unregisteredClassId_isRefused(String position, Output payload) {
        // Kryo writes a class as its registration id + 2 (0 is null, 1 announces a class name); 200 is unused.
        payload.writeVarInt(200 + 2, true);

        ProtocolException e = assertThrows(ProtocolException.class,
                readerOfOpenPipe(frame(payload.toBytes()), LIMIT)::read);

        assertTrue(e.getMessage().contains("200"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("classPositions")
    void classNamedInStream_isRefusedBeforeItsNameIsRead(String position, Output payload) {
        payload.writeVarInt(1, true); // a class given by name, not by id
        payload.writeVarInt(0, true); // the name's id within this stream
        payload.writeString(ArrayList.class.getName());

        ProtocolException e = assertThrows(ProtocolException.class,
                readerOfOpenPipe(frame(payload.toBytes()), LIMIT)::read);

        assertTrue(e.getMessage().contains("named by its name instead of a registered id"), e.getMessage());
    }

    @Test
    void registeredValueThatIsNoMessage_isRefused() {
        Output value = new Output(16, -1);
        FORMAT.newKryo().writeClassAndObject(value, 5L);
        Output nothing = new Output(16, -1);
        FORMAT.newKryo().writeClassAndObject(nothing, null);

        for (Output payload : List.of(value, nothing)) {
            ProtocolException e = assertThrows(ProtocolException.class,
                    readerOfOpenPipe(frame(payload.toBytes()), LIMIT)::read);
            assertTrue(e.getMessage().contains("not a message"), e.getMessage());
        }
    }

    @Test
    void craftedPayloads_matchTheWriterEncoding() throws Exception {
        Output batch = batchDeclaring(long[].class, FILLER / Long.BYTES);
        byte[] expectedBatch = payloadOf(TaskBatch.of(1, 1L, new long[FILLER / Long.BYTES]));
        RemoteError error = new RemoteError("E", null, new RemoteFrame[0],
                new RemoteError("E", null, new RemoteFrame[] {new RemoteFrame("C", "m", null, 7)}, null));

        assertArrayEquals(expectedBatch, batch.toBytes());
        assertArrayEquals(payloadOf(TaskFailure.threw(1, error)), failureDeclaring(0, 1, 1).toBytes());
    }

    @Test
    void craftedBatches_withIdsGoingDownAndUp_matchTheWriterEncoding() throws Exception {
        long[] ids = {7, 2, Long.MAX_VALUE, Long.MIN_VALUE};
        long[] deltas = {7, -5, Long.MAX_VALUE - 2, 1}; // MIN_VALUE - MAX_VALUE wraps to 1
        Object[] elements = {new Range(0, 1), null, "x", 4L};
        Output tasks = craftTaskBatch(2L, ids.length);
        Output results = craftResultBatch(99, ids.length);
        for (int i = 0; i < ids.length; i++) {
            writeIdDelta(tasks, deltas[i]);
            writeIdDelta(results, deltas[i]);
        }
        for (int i = 0; i < ids.length; i++) {
            FORMAT.newKryo().writeClassAndObject(tasks, elements[i]);
            FORMAT.newKryo().writeClassAndObject(results, elements[i]);
        }

        assertArrayEquals(payloadOf(new TaskBatch(2L, ids, elements)), tasks.toBytes());
        assertArrayEquals(payloadOf(new ResultBatch(ids, elements, 99)), results.toBytes());
    }

    @Test
    void messages_travelUnderTheirFixedRegistrationIds() throws Exception {
        // Kryo writes a registered class as its id + 2, in one byte below 126.
        assertEquals(16 + 2, payloadOf(TaskBatch.of(1, 1L, null))[0]);
        assertEquals(17 + 2, payloadOf(ResultBatch.of(1, null, 0))[0]);
        assertEquals(18 + 2, payloadOf(TaskFailure.threw(1, new RemoteError("E", null, null, null)))[0]);
        assertEquals(19 + 2, payloadOf(Shutdown.INSTANCE)[0]);
    }

    static Stream<Arguments> lengthPrefixedTypes() {
        return Stream.of(
                arguments(String.class, Byte.BYTES),
                arguments(byte[].class, Byte.BYTES),
                arguments(int[].class, Integer.BYTES),
                arguments(long[].class, Long.BYTES),
                arguments(double[].class, Double.BYTES));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lengthPrefixedTypes")
    void declaredLengthFillingTheFrame_isAccepted(Class<?> type, int bytesPerElement) throws Exception {
        FrameReader reader = readerOfOpenPipe(frame(batchDeclaring(type, FILLER / bytesPerElement).toBytes()), LIMIT);

        TaskBatch read = assertInstanceOf(TaskBatch.class, reader.read());

        assertEquals(type, read.tasks()[0].getClass());
    }

    static Stream<Arguments> hugeDeclaredLengths() {
        return lengthPrefixedTypes().flatMap(arguments -> {
            Class<?> type = (Class<?>) arguments.get()[0];
            int bytesPerElement = (int) arguments.get()[1];
            return Stream.of(FILLER / bytesPerElement + 1, 1 << 20, 1 << 28, Integer.MAX_VALUE - 1)
                    .map(declared -> arguments(type.getSimpleName(), batchDeclaring(type, declared).toBytes(), declared));
        });
    }

    @ParameterizedTest(name = "{0} of {2}")
    @MethodSource("hugeDeclaredLengths")
    void declaredLengthBeyondTheFrame_isRefusedBeforeAllocating(String type, byte[] payload, int declared) {
        FrameReader reader = readerOfOpenPipe(frame(payload), LIMIT);

        ProtocolException e = assertThrowsWithoutAllocating(ProtocolException.class, reader::read);

        assertTrue(e.getMessage().contains(String.valueOf(declared)), e.getMessage());
    }

    static Stream<Arguments> hugeDeclaredMessageFields() {
        int declared = Integer.MAX_VALUE - 1;
        Output jobName = craft(JobDefinition.class);
        jobName.writeVarLong(1, true);
        jobName.writeVarInt(declared + 1, true);
        Output errorClassName = craft(TaskFailure.class);
        errorClassName.writeVarLong(1, true);
        errorClassName.writeByte(TaskFailure.Kind.THREW.ordinal());
        errorClassName.writeVarLong(0, false); // no size: not a result too large
        errorClassName.writeVarInt(declared + 1, true);
        Output frameCount = craft(TaskFailure.class);
        frameCount.writeVarLong(1, true);
        frameCount.writeByte(TaskFailure.Kind.THREW.ordinal());
        frameCount.writeVarLong(0, false);
        writeString(frameCount, "E");
        writeString(frameCount, null);
        frameCount.writeVarInt(declared, true);
        return Stream.of(
                arguments("job name", jobName, declared),
                arguments("error class name", errorClassName, declared),
                arguments("stack frame count", frameCount, declared));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hugeDeclaredMessageFields")
    void hugeDeclaredMessageField_isRefusedBeforeAllocating(String field, Output payload, int declared) {
        payload.writeBytes(new byte[FILLER]);
        FrameReader reader = readerOfOpenPipe(frame(payload.toBytes()), LIMIT);

        ProtocolException e = assertThrowsWithoutAllocating(ProtocolException.class, reader::read);

        assertTrue(e.getMessage().contains(String.valueOf(declared)), e.getMessage());
    }

    /** The two-byte elements a batch's count is checked against: a one-byte id delta and a null. */
    static Stream<Arguments> batchesOfTwoByteElements() {
        return Stream.of(arguments("TaskBatch", true), arguments("ResultBatch", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batchesOfTwoByteElements")
    void batchOfTwoByteElementsFillingTheFrame_isAccepted(String type, boolean tasks) throws Exception {
        int count = FILLER / 2;
        Output payload = tasks ? craftTaskBatch(4L, count) : craftResultBatch(5, count);
        long[] ids = new long[count];
        for (int i = 0; i < count; i++) {
            writeIdDelta(payload, 1);
            ids[i] = i + 1;
        }
        for (int i = 0; i < count; i++) {
            payload.writeVarInt(0, true); // null
        }

        Message read = readerOfOpenPipe(frame(payload.toBytes()), LIMIT).read();

        Object[] nulls = new Object[count];
        assertEquals(tasks ? new TaskBatch(4L, ids, nulls) : new ResultBatch(ids, nulls, 5), read);
    }

    static Stream<Arguments> hugeBatchCounts() {
        return Stream.of(FILLER / 2 + 1, 1 << 20, 1 << 28, Integer.MAX_VALUE, -1)
                .flatMap(count -> Stream.of(
                        arguments("TaskBatch", craftTaskBatch(1L, count), count),
                        arguments("ResultBatch", craftResultBatch(0, count), count)));
    }

    @ParameterizedTest(name = "{0} of {2}")
    @MethodSource("hugeBatchCounts")
    void batchDeclaringMoreElementsThanTheFrameHolds_isRefusedBeforeAllocating(String type, Output payload, int count) {
        payload.writeBytes(new byte[FILLER]);
        FrameReader reader = readerOfOpenPipe(frame(payload.toBytes()), LIMIT);

        ProtocolException e = assertThrowsWithoutAllocating(ProtocolException.class, reader::read);

        assertTrue(e.getMessage().contains("declares " + count + " elements"), e.getMessage());
    }

    @Test
    void resultBatchWithNegativeBusyTime_isRefused() {
        Output payload = craftResultBatch(-1, 1);
        writeIdDelta(payload, 1);
        payload.writeVarInt(0, true); // a null value

        ProtocolException e = assertThrows(ProtocolException.class,
                readerOfOpenPipe(frame(payload.toBytes()), LIMIT)::read);

        assertTrue(e.getMessage().contains("negative time: busy -1"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("classPositions")
    void classNameOfHugeDeclaredLength_isRefusedBeforeAllocating(String position, Output payload) {
        payload.writeVarInt(1, true); // a class given by name, not by id
        payload.writeVarInt(0, true); // the name's id within this stream
        payload.writeVarIntFlag(true, Integer.MAX_VALUE - 40, true); // a UTF-8 name of ~2^31 characters
        FrameReader reader = readerOfOpenPipe(frame(payload.toBytes()), LIMIT);

        assertThrowsWithoutAllocating(ProtocolException.class, reader::read);
    }

    @ParameterizedTest(name = "{0} frames, {1} causes: accepted {2}")
    @MethodSource("remoteErrorShapes")
    void remoteError_beyondFrameOrCauseLimit_isRefused(int frames, int causes, boolean accepted) throws Exception {
        FrameReader reader = readerOfOpenPipe(frame(failureDeclaring(frames, causes, 0).toBytes()), LIMIT);

        if (accepted) {
            assertInstanceOf(TaskFailure.class, reader.read());
        } else {
            assertThrows(ProtocolException.class, reader::read);
        }
    }

    static Stream<Arguments> remoteErrorShapes() {
        return Stream.of(
                arguments(RemoteError.MAX_FRAMES, 0, true),
                arguments(RemoteError.MAX_FRAMES + 1, 0, false),
                arguments(0, RemoteError.MAX_CAUSE_DEPTH, true),
                arguments(0, RemoteError.MAX_CAUSE_DEPTH + 1, false),
                arguments(-1, 0, false));
    }

    @Test
    void rangeBreakingItsInvariant_isRefused() throws Exception {
        byte[] valid = batchOfRange(5, 10);
        byte[] broken = batchOfRange(10, 5);

        assertEquals(TaskBatch.of(1, 1L, new Range(5, 10)), readerOfOpenPipe(frame(valid), LIMIT).read());
        ProtocolException e = assertThrows(ProtocolException.class, readerOfOpenPipe(frame(broken), LIMIT)::read);
        assertTrue(causeChainMentions(e, "range end 5 is before its start 10"), () -> "the cause of " + e);
    }

    private static boolean causeChainMentions(Throwable thrown, String text) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(text)) {
                return true;
            }
        }
        return false;
    }

    /** A TaskBatch payload of one Range task written field by field, so its fields can break the invariant. */
    private static byte[] batchOfRange(long from, long to) {
        Output payload = craftTaskBatch(1L, 1);
        writeIdDelta(payload, 1);
        writeClass(payload, Range.class);
        FORMAT.newKryo().writeObject(payload, from);
        FORMAT.newKryo().writeObject(payload, to);
        return payload.toBytes();
    }

    @Test
    void deeplyNestedPayload_isRefusedAsProtocolError_andSoIsEveryLaterRead() throws Exception {
        Kryo kryo = FORMAT.newKryo();
        Output payload = new Output(1 << 20, -1);
        for (int i = 0; i < 1_000_000; i++) {
            // A ResultBatch of one value, which is the next ResultBatch.
            kryo.writeClass(payload, ResultBatch.class);
            payload.writeVarLong(0, true); // busy time
            payload.writeVarLong(0, true); // CPU time
            payload.writeVarLong(0, true); // ready time
            payload.writeVarLong(0, true); // sampled time
            payload.writeVarInt(1, true); // count
            writeIdDelta(payload, 0);
        }
        payload.writeVarInt(0, true);
        byte[] bytes = concat(frame(payload.toBytes()), encode(LIMIT, ResultBatch.of(2, 3L, 4)));
        FrameReader reader = readerOf(bytes, 8 * 1024 * 1024);

        ProtocolException e = assertThrows(ProtocolException.class, reader::read);

        assertInstanceOf(StackOverflowError.class, e.getCause());
        // The stream is unusable after a failure (FrameReader's contract): no later frame is ever returned.
        assertThrows(ProtocolException.class, reader::read);
    }

    static Stream<Arguments> undecodablePayloads() throws Exception {
        Output unregistered = new Output(16, -1);
        unregistered.writeVarInt(200 + 2, true);
        return Stream.of(
                arguments("unregistered class", unregistered.toBytes()),
                arguments("trailing byte", concat(payloadOf(ResultBatch.of(1, 1L, 1)), new byte[] {0})),
                arguments("huge batch count", craftTaskBatch(1L, Integer.MAX_VALUE).toBytes()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("undecodablePayloads")
    void decodeFailure_isAProtocolError_andLeavesTheReaderUnusable(String description, byte[] payload) throws Exception {
        byte[] bytes = concat(frame(payload), encode(LIMIT, ResultBatch.of(2, 2L, 2)));
        FrameReader reader = readerOf(bytes, LIMIT);

        assertThrowsWithoutAllocating(ProtocolException.class, reader::read);

        // FrameReader's contract: the stream is unusable after a failure, so the valid frame behind the bad one
        // is never returned and the end of the stream is never reported as a clean end.
        assertThrowsWithoutAllocating(ProtocolException.class, reader::read);
    }

    // ---- encoding ------------------------------------------------------------------------------------------

    static Stream<Arguments> unregisteredValues() {
        return Stream.of(
                arguments("ArrayList", new ArrayList<>(List.of(1, 2))),
                arguments("List.of", List.of(1, 2, 3)),
                arguments("Object", new Object()),
                arguments("Date", new Date(0)),
                arguments("float[]", new float[] {1f}),
                arguments("String[]", new String[] {"a"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unregisteredValues")
    void unregisteredValue_throwsEncodingException_writesNothing_andWriterStaysUsable(String description, Object value)
            throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(sink, FORMAT, LIMIT);

        EncodingException tasks = assertThrows(EncodingException.class,
                () -> writer.write(TaskBatch.of(1, 1L, value)));
        EncodingException results = assertThrows(EncodingException.class,
                () -> writer.write(ResultBatch.of(1, value, 0)));
        writer.flush();

        assertTrue(tasks.getMessage().contains(value.getClass().getSimpleName()), tasks.getMessage());
        assertTrue(results.getMessage().contains(value.getClass().getSimpleName()), results.getMessage());
        assertEquals(0, sink.size(), "bytes written");
        writer.write(TaskBatch.of(2, 1L, new Range(1, 5)));
        writer.flush();
        FrameReader reader = readerOf(sink.toByteArray(), LIMIT);
        assertEquals(TaskBatch.of(2, 1L, new Range(1, 5)), reader.read());
        assertNull(reader.read());
    }

    @Test
    void batchWithOneUnencodableElement_writesNothingOfIt_andFramesAroundItSurvive() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(sink, FORMAT, LIMIT);
        TaskBatch before = TaskBatch.of(1, 1L, new Range(1, 2));
        TaskBatch badTasks = new TaskBatch(1L, new long[] {2, 3, 4},
                new Object[] {new Range(2, 3), new Range(3, 4), new Object()});
        ResultBatch badResults = new ResultBatch(new long[] {5, 6}, new Object[] {1L, new ArrayList<>()}, 7);
        ResultBatch after = ResultBatch.of(1, 1.5, 8);

        writer.write(before);
        assertThrows(EncodingException.class, () -> writer.write(badTasks));
        assertThrows(EncodingException.class, () -> writer.write(badResults));
        writer.write(after);
        writer.flush();

        assertArrayEquals(framesWrittenOneByOne(before, after), sink.toByteArray());
    }

    @Test
    void messageOverMaximum_throwsEncodingException_writesNothing() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(sink, FORMAT, 64);

        EncodingException e = assertThrows(EncodingException.class,
                () -> writer.write(ResultBatch.of(1, new long[100], 0)));
        writer.flush();

        assertTrue(e.getMessage().contains("64"), e.getMessage());
        assertEquals(0, sink.size(), "bytes written");
        writer.write(Shutdown.INSTANCE);
        writer.flush();
        assertEquals(Shutdown.INSTANCE, readerOf(sink.toByteArray(), 64).read());
    }

    @Test
    void messageOverMaximum_afterBufferedFrames_dropsOnlyItself() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(sink, FORMAT, 64);
        ResultBatch small = ResultBatch.of(1, 2L, 3);

        writer.write(small);
        assertThrows(EncodingException.class,
                () -> writer.write(new TaskBatch(1L, new long[] {2, 3}, new Object[] {1L, new long[100]})));
        writer.write(Shutdown.INSTANCE);
        writer.flush();

        assertArrayEquals(framesWrittenOneByOne(small, Shutdown.INSTANCE), sink.toByteArray());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 100, 4_090, 4_096, 5_000, 70_000})
    void messageOfExactlyTheMaximum_isWrittenAndRead_oneByteLess_isRefusedBothWays(int textLength) throws Exception {
        ResultBatch message = ResultBatch.of(1, "x".repeat(textLength), 2);
        int size = payloadOf(message).length;

        byte[] bytes = encode(size, message);

        assertEquals(message, readerOf(bytes, size).read());
        assertThrows(EncodingException.class, () -> encode(size - 1, message));
        assertThrows(ProtocolException.class, readerOf(bytes, size - 1)::read);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void constructors_nonPositiveMaximum_areRefused(int maxFrameBytes) {
        assertThrows(IllegalArgumentException.class,
                () -> new FrameWriter(new ByteArrayOutputStream(), FORMAT, maxFrameBytes));
        assertThrows(IllegalArgumentException.class, () -> readerOf(new byte[0], maxFrameBytes));
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** Writes {@code message} alone on a stream and reads it back, checking that exactly one frame was there. */
    private static Message roundTrip(Message message) throws Exception {
        FrameReader reader = readerOf(encode(LIMIT, message), LIMIT);
        Message read = reader.read();
        assertNull(reader.read(), "a second frame");
        return read;
    }

    /** Messages of every type, batches of several elements with ids that go up and down. */
    private static Message[] severalMessages() {
        return new Message[] {
            new TaskBatch(1L, new long[] {1, 2, 3}, new Object[] {new Range(1, 10), new Range(10, 20), new Range(20, 21)}),
            new ResultBatch(new long[] {2, 1}, new Object[] {19.3, 4.5}, 1_000),
            TaskFailure.threw(3, new RemoteError("X", "m", null, null)),
            TaskBatch.of(4, 2L, new Range(0, 100)),
            ResultBatch.of(4, 25L, 77),
            Shutdown.INSTANCE,
        };
    }

    /** What the writer sends for each message written and flushed on its own, concatenated. */
    private static byte[] framesWrittenOneByOne(Message... messages) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Message message : messages) {
            bytes.writeBytes(encode(LIMIT, message));
        }
        return bytes.toByteArray();
    }

    private static void assertSameValues(Object[] expected, Object[] actual) {
        assertEquals(expected.length, actual.length, "elements");
        for (int i = 0; i < expected.length; i++) {
            assertSameValue(expected[i], actual[i]);
        }
    }

    /** Equal values of the same class; arrays by content and doubles by bits. */
    private static void assertSameValue(Object expected, Object actual) {
        if (expected == null) {
            assertNull(actual);
            return;
        }
        assertNotNull(actual);
        assertEquals(expected.getClass(), actual.getClass());
        assertTrue(Objects.deepEquals(expected, actual), () -> "expected " + expected + " but read " + actual);
    }

    private static void assertFramesMatch(StackTraceElement[] expected, RemoteFrame[] actual) {
        assertEquals(Math.min(expected.length, RemoteError.MAX_FRAMES), actual.length, "frames");
        for (int i = 0; i < actual.length; i++) {
            StackTraceElement rebuilt = actual[i].toStackTraceElement();
            assertEquals(expected[i].getClassName(), rebuilt.getClassName());
            assertEquals(expected[i].getMethodName(), rebuilt.getMethodName());
            assertEquals(expected[i].getFileName(), rebuilt.getFileName());
            assertEquals(expected[i].getLineNumber(), rebuilt.getLineNumber());
        }
    }

    /** A TaskBatch payload of one task, a {@code type} declaring {@code declared} elements, then FILLER bytes. */
    private static Output batchDeclaring(Class<?> type, int declared) {
        Output out = craftTaskBatch(1L, 1);
        writeIdDelta(out, 1);
        writeClass(out, type);
        out.writeVarInt(declared + 1, true);
        out.writeBytes(new byte[FILLER]);
        return out;
    }

    /** A TaskFailure payload whose error has {@code frames} frames of ("C", "m", null, 7) and {@code causes} causes. */
    private static Output failureDeclaring(int frames, int causes, int causeFrames) {
        Output out = craft(TaskFailure.class);
        out.writeVarLong(1, true);
        out.writeByte(TaskFailure.Kind.THREW.ordinal());
        out.writeVarLong(0, false);
        writeError(out, frames, causes, causeFrames);
        return out;
    }

    private static void writeError(Output out, int frames, int causes, int causeFrames) {
        writeString(out, "E");
        writeString(out, null);
        out.writeVarInt(frames, true);
        for (int i = 0; i < frames; i++) {
            writeString(out, "C");
            writeString(out, "m");
            writeString(out, null);
            out.writeVarInt(7, false);
        }
        out.writeBoolean(causes > 0);
        if (causes > 0) {
            writeError(out, causeFrames, causes - 1, causeFrames);
        }
    }

    private static void failWithCause() {
        try {
            throwIo();
        } catch (IOException e) {
            throw new IllegalStateException("task 9 failed: \u00fcn\u00efcode", e);
        }
    }

    private static void throwIo() throws IOException {
        throw new IOException("disk gone");
    }

    /** An output stream that counts what reaches it: writes, flushes and whether it was closed. */
    private static final class RecordingStream extends ByteArrayOutputStream {
        int writes;
        int flushes;
        boolean closed;

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            writes++;
            super.write(bytes, offset, length);
        }

        @Override
        public synchronized void write(int b) {
            writes++;
            super.write(b);
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** A stream of fixed bytes that hands out at most a random number of them per read, as a pipe may. */
    private static final class ChunkedStream extends InputStream {
        private final byte[] bytes;
        private final int maxChunk;
        private final Random random;
        private int position;

        ChunkedStream(byte[] bytes, int maxChunk, Random random) {
            this.bytes = bytes;
            this.maxChunk = maxChunk;
            this.random = random;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            if (position == bytes.length) {
                return -1;
            }
            int count = Math.min(Math.min(length, bytes.length - position), 1 + random.nextInt(maxChunk));
            System.arraycopy(bytes, position, target, offset, count);
            position += count;
            return count;
        }
    }
}
