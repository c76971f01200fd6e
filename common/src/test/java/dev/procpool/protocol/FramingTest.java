package dev.procpool.protocol;

import static dev.procpool.protocol.Frames.FORMAT;
import static dev.procpool.protocol.Frames.LIMIT;
import static dev.procpool.protocol.Frames.ascii;
import static dev.procpool.protocol.Frames.assertThrowsWithoutAllocating;
import static dev.procpool.protocol.Frames.concat;
import static dev.procpool.protocol.Frames.craft;
import static dev.procpool.protocol.Frames.encode;
import static dev.procpool.protocol.Frames.frame;
import static dev.procpool.protocol.Frames.payloadOf;
import static dev.procpool.protocol.Frames.readerOf;
import static dev.procpool.protocol.Frames.readerOfOpenPipe;
import static dev.procpool.protocol.Frames.writeClass;
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
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The frame layer end to end: {@link FrameWriter} to bytes to {@link FrameReader}, valid traffic and every way a
 * peer's bytes can be wrong.
 */
@Timeout(10)
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
    void taskRequest_standardPayload_roundTrips(String description, Object payload) throws Exception {
        TaskRequest read = assertInstanceOf(TaskRequest.class,
                roundTrip(new TaskRequest(Long.MAX_VALUE, "primes", payload)));

        assertEquals(Long.MAX_VALUE, read.taskId());
        assertEquals("primes", read.job());
        assertSameValue(payload, read.task());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void taskResult_standardValue_roundTrips(String description, Object value) throws Exception {
        TaskResult read = assertInstanceOf(TaskResult.class, roundTrip(new TaskResult(0, value)));

        assertEquals(0, read.taskId());
        assertSameValue(value, read.value());
    }

    @Test
    void taskFailure_realExceptionWithCause_keepsClassMessageFramesAndCause() throws Exception {
        IllegalStateException thrown = assertThrows(IllegalStateException.class, FramingTest::failWithCause);
        RemoteError sent = RemoteError.of(thrown);

        TaskFailure read = assertInstanceOf(TaskFailure.class, roundTrip(new TaskFailure(9, sent)));

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

        TaskFailure read = assertInstanceOf(TaskFailure.class, roundTrip(new TaskFailure(1, sent)));

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

        TaskFailure read = assertInstanceOf(TaskFailure.class, roundTrip(new TaskFailure(3, error)));

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
        writer.write(new TaskResult(1, 2L));
        writer.flush();
        FrameReader reader = readerOf(bytes.toByteArray(), LIMIT);

        Handshake handshake = reader.readHandshake();

        assertEquals(new Handshake(Protocol.VERSION, FORMAT.fingerprint(), ProcessHandle.current().pid()), handshake);
        assertTrue(handshake.matches(FORMAT.fingerprint()));
        assertFalse(handshake.matches(FORMAT.fingerprint() + 1));
        assertFalse(new Handshake(Protocol.VERSION + 1, FORMAT.fingerprint(), 1).matches(FORMAT.fingerprint()));
        assertEquals(new TaskResult(1, 2L), reader.read());
        assertNull(reader.read());
    }

    @Test
    void handshake_strayOutputFirst_isRefusedShowingTheText() {
        byte[] bytes = concat(ascii("Picked up JAVA_TOOL_OPTIONS: -Xmx1g\n"), new byte[Handshake.PAYLOAD_BYTES + 4]);

        ProtocolException e = assertThrows(ProtocolException.class, readerOfOpenPipe(bytes, LIMIT)::readHandshake);

        assertTrue(e.getMessage().contains("Picked up JAVA_TOOL_OPTIONS: -Xmx1g\\n"), e.getMessage());
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
        Message[] sent = {
            new TaskRequest(1, "sqrt", new Range(1, 10)),
            new TaskResult(1, 19.3),
            new TaskFailure(2, new RemoteError("X", "m", null, null)),
            Shutdown.INSTANCE,
        };
        FrameReader reader = readerOf(encode(LIMIT, sent), LIMIT);

        for (Message message : sent) {
            assertEquals(message, reader.read());
        }
        assertNull(reader.read());
        assertNull(reader.read(), "end of stream stays end of stream");
    }

    // ---- malformed frames ----------------------------------------------------------------------------------

    @Test
    void strayTextBeforeFrame_isRefusedShowingTheText() throws Exception {
        byte[] bytes = concat(ascii("Hello\n"), encode(LIMIT, Shutdown.INSTANCE));

        ProtocolException e = assertThrows(ProtocolException.class, readerOfOpenPipe(bytes, LIMIT)::read);

        assertTrue(e.getMessage().contains("Hello\\n"), e.getMessage());
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

    @Test
    void trailingBytesAfterMessage_areRefused() throws Exception {
        byte[] payload = concat(payloadOf(new TaskResult(5, 6L)), new byte[] {1, 2, 3});

        ProtocolException e = assertThrows(ProtocolException.class, readerOfOpenPipe(frame(payload), LIMIT)::read);

        assertTrue(e.getMessage().contains(String.valueOf(payload.length)), e.getMessage());
    }

    @Test
    void unregisteredClassId_isRefused() {
        // Kryo writes a class as its registration id + 2 (0 is null, 1 announces a class name); 200 is unused.
        Output topLevel = new Output(16, -1);
        topLevel.writeVarInt(200 + 2, true);
        Output nested = craft(TaskRequest.class);
        nested.writeVarLong(1, true);
        writeString(nested, "sqrt");
        nested.writeVarInt(200 + 2, true);

        for (Output payload : List.of(topLevel, nested)) {
            ProtocolException e = assertThrows(ProtocolException.class,
                    readerOfOpenPipe(frame(payload.toBytes()), LIMIT)::read);
            assertTrue(e.getMessage().contains("200"), e.getMessage());
        }
    }

    @Test
    void classNamedInStream_isRefusedBeforeItsNameIsRead() {
        Output payload = new Output(64, -1);
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
        Output request = requestDeclaring(long[].class, FILLER / Long.BYTES);
        byte[] expectedRequest = payloadOf(new TaskRequest(1, "sqrt", new long[FILLER / Long.BYTES]));
        RemoteError error = new RemoteError("E", null, new RemoteFrame[0],
                new RemoteError("E", null, new RemoteFrame[] {new RemoteFrame("C", "m", null, 7)}, null));

        assertArrayEquals(expectedRequest, request.toBytes());
        assertArrayEquals(payloadOf(new TaskFailure(1, error)), failureDeclaring(0, 1, 1).toBytes());
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
        FrameReader reader = readerOfOpenPipe(frame(requestDeclaring(type, FILLER / bytesPerElement).toBytes()), LIMIT);

        TaskRequest read = assertInstanceOf(TaskRequest.class, reader.read());

        assertEquals(type, read.task().getClass());
    }

    static Stream<Arguments> hugeDeclaredLengths() {
        return lengthPrefixedTypes().flatMap(arguments -> {
            Class<?> type = (Class<?>) arguments.get()[0];
            int bytesPerElement = (int) arguments.get()[1];
            return Stream.of(FILLER / bytesPerElement + 1, 1 << 20, 1 << 28, Integer.MAX_VALUE - 1)
                    .map(declared -> arguments(type.getSimpleName(), requestDeclaring(type, declared).toBytes(), declared));
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
        Output jobName = craft(TaskRequest.class);
        jobName.writeVarLong(1, true);
        jobName.writeVarInt(declared + 1, true);
        Output errorClassName = craft(TaskFailure.class);
        errorClassName.writeVarLong(1, true);
        errorClassName.writeVarInt(declared + 1, true);
        Output frameCount = craft(TaskFailure.class);
        frameCount.writeVarLong(1, true);
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

    @Test
    void classNameOfHugeDeclaredLength_isRefusedBeforeAllocating() {
        Output payload = new Output(16, -1);
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
    void rangeBreakingItsInvariant_isRefused() {
        Output payload = craft(TaskResult.class);
        payload.writeVarLong(1, true);
        writeClass(payload, Range.class);
        FORMAT.newKryo().writeObject(payload, 10L); // from
        FORMAT.newKryo().writeObject(payload, 5L); // to, before from

        assertThrows(ProtocolException.class, readerOfOpenPipe(frame(payload.toBytes()), LIMIT)::read);
    }

    @Test
    void deeplyNestedPayload_isRefusedThenNextFrameReads() throws Exception {
        Kryo kryo = FORMAT.newKryo();
        Output payload = new Output(1 << 20, -1);
        for (int i = 0; i < 1_000_000; i++) {
            kryo.writeClass(payload, TaskResult.class);
            payload.writeVarLong(0, true);
        }
        payload.writeVarInt(0, true);
        byte[] bytes = concat(frame(payload.toBytes()), encode(LIMIT, new TaskResult(2, 3L)));
        FrameReader reader = readerOf(bytes, 4 * 1024 * 1024);

        assertThrows(ProtocolException.class, reader::read);

        assertEquals(new TaskResult(2, 3L), reader.read());
    }

    @Test
    void decodeFailures_eachFailCleanly_andLaterFramesStillRead() throws Exception {
        Output unregistered = new Output(16, -1);
        unregistered.writeVarInt(200 + 2, true);
        byte[] trailing = concat(payloadOf(new TaskResult(1, 1L)), new byte[] {0});
        byte[] bytes = concat(frame(unregistered.toBytes()), frame(trailing), encode(LIMIT, new TaskResult(2, 2L)));
        FrameReader reader = readerOf(bytes, LIMIT);

        assertThrows(ProtocolException.class, reader::read);
        assertThrows(ProtocolException.class, reader::read);

        assertEquals(new TaskResult(2, 2L), reader.read());
        assertNull(reader.read());
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

        EncodingException request = assertThrows(EncodingException.class,
                () -> writer.write(new TaskRequest(1, "sqrt", value)));
        EncodingException result = assertThrows(EncodingException.class, () -> writer.write(new TaskResult(1, value)));
        writer.flush();

        assertTrue(request.getMessage().contains(value.getClass().getSimpleName()), request.getMessage());
        assertTrue(result.getMessage().contains(value.getClass().getSimpleName()), result.getMessage());
        assertEquals(0, sink.size(), "bytes written");
        writer.write(new TaskRequest(2, "sqrt", new Range(1, 5)));
        writer.flush();
        FrameReader reader = readerOf(sink.toByteArray(), LIMIT);
        assertEquals(new TaskRequest(2, "sqrt", new Range(1, 5)), reader.read());
        assertNull(reader.read());
    }

    @Test
    void messageOverMaximum_throwsEncodingException_writesNothing() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(sink, FORMAT, 64);

        EncodingException e = assertThrows(EncodingException.class,
                () -> writer.write(new TaskResult(1, new long[100])));
        writer.flush();

        assertTrue(e.getMessage().contains("64"), e.getMessage());
        assertEquals(0, sink.size(), "bytes written");
        writer.write(Shutdown.INSTANCE);
        writer.flush();
        assertEquals(Shutdown.INSTANCE, readerOf(sink.toByteArray(), 64).read());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 100, 4_090, 4_096, 5_000, 70_000})
    void messageOfExactlyTheMaximum_isWrittenAndRead_oneByteLess_isRefusedBothWays(int textLength) throws Exception {
        TaskResult message = new TaskResult(1, "x".repeat(textLength));
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

    /** A TaskRequest payload whose task is a {@code type} declaring {@code declared} elements, then FILLER bytes. */
    private static Output requestDeclaring(Class<?> type, int declared) {
        Output out = craft(TaskRequest.class);
        out.writeVarLong(1, true);
        writeString(out, "sqrt");
        writeClass(out, type);
        out.writeVarInt(declared + 1, true);
        out.writeBytes(new byte[FILLER]);
        return out;
    }

    /** A TaskFailure payload whose error has {@code frames} frames of ("C", "m", null, 7) and {@code causes} causes. */
    private static Output failureDeclaring(int frames, int causes, int causeFrames) {
        Output out = craft(TaskFailure.class);
        out.writeVarLong(1, true);
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
}
