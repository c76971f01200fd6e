package dev.procpool.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.protocol.FrameReader;
import dev.procpool.protocol.FrameWriter;
import dev.procpool.protocol.Protocol;
import dev.procpool.protocol.ResultBatch;
import dev.procpool.protocol.TaskFailure;
import dev.procpool.protocol.WireFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the worker sends for the answers it is given, over a byte stream. */
@Timeout(30)
class ResultSenderTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    /** Longer than any test: only {@code moreQueued = false} sends, so batches are exactly what a test adds. */
    private static final long NEVER = TimeUnit.HOURS.toNanos(1);

    private final WireFormat format = WireFormat.forCoordinator();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final CompletableFuture<Integer> halted = new CompletableFuture<>();
    private final ResultSender sender = new ResultSender(new FrameWriter(output, format,
            Protocol.DEFAULT_MAX_FRAME_BYTES), NEVER, halted::complete, QUIET);

    @Test
    void resultsAddedWhileMoreIsQueued_goOutAsOneBatchWithTheirBusyTime() throws Exception {
        sender.result(1, 5L, 100, true);
        sender.result(2, 6L, 200, false);

        FrameReader reader = reader();
        assertEquals(new ResultBatch(new long[] {1, 2}, new Object[] {5L, 6L}, 300), reader.read());
        assertNull(reader.read());
    }

    @Test
    void batchWithAnUnencodableResult_sendsTheOthersAlone_eachWithItsShareOfTheBusyTime() throws Exception {
        sender.result(1, 5L, 100, true);
        sender.result(2, new Object(), 100, true); // not registered: cannot be encoded
        sender.result(3, 7L, 101, false);

        FrameReader reader = reader();
        assertEquals(ResultBatch.of(1, 5L, 101), reader.read(), "a third of the busy time, and the odd nanosecond");
        TaskFailure failure = assertInstanceOf(TaskFailure.class, reader.read());
        assertEquals(2, failure.taskId());
        assertEquals(TaskFailure.Kind.RESULT_NOT_SENDABLE, failure.kind());
        assertEquals("java.lang.Object", failure.error().className());
        assertTrue(failure.error().message().contains("not registered"), failure.error().message());
        assertEquals(ResultBatch.of(3, 7L, 100), reader.read());
        assertNull(reader.read());
        assertFalse(halted.isDone(), "the worker goes on");
    }

    private FrameReader reader() {
        return new FrameReader(new ByteArrayInputStream(output.toByteArray()), format, Protocol.DEFAULT_MAX_FRAME_BYTES);
    }
}
