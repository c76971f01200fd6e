package dev.procpool.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.protocol.BatchBudget;
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
            Protocol.DEFAULT_MAX_FRAME_BYTES), BatchBudget.unlimited(), NEVER, halted::complete, QUIET);

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

    @Test
    void withABudget_resultsGoOutInFramesThatFitIt() throws Exception {
        ResultSender budgeted = new ResultSender(new FrameWriter(output, format, Protocol.DEFAULT_MAX_FRAME_BYTES),
                new BatchBudget(256), NEVER, halted::complete, QUIET);
        int results = 2_000;
        for (int id = 1; id <= results; id++) {
            // Results of one size (ids of two bytes, the same value): the budget learns sizes as they come, and keeps
            // a margin for results that grow, not for any growth at all.
            budgeted.result(1_000 + id, 5L, 10, id < results);
        }

        byte[] written = output.toByteArray();
        FrameReader reader = reader();
        int frames = 0;
        long next = 1_001;
        for (Object message = reader.read(); message != null; message = reader.read()) {
            ResultBatch batch = assertInstanceOf(ResultBatch.class, message);
            for (long id : batch.ids()) {
                assertEquals(next++, id, "every result once, in order");
            }
            frames++;
        }
        assertEquals(1_001 + results, next);
        for (int at = 0; at < written.length; ) {
            int frame = Protocol.FRAME_HEADER_BYTES + java.nio.ByteBuffer.wrap(written, at + 4, 4).getInt();
            assertTrue(frame <= 256, "a frame of " + frame + " bytes at " + at);
            at += frame;
        }
        assertTrue(frames < results / 10, frames + " frames: the budget still batches");
    }

    @Test
    void withABudget_resultsThatGrowPastTheEstimate_areSplitToFit_keepingTheirBusyTime() throws Exception {
        ResultSender budgeted = new ResultSender(new FrameWriter(output, format, Protocol.DEFAULT_MAX_FRAME_BYTES),
                new BatchBudget(256), NEVER, halted::complete, QUIET);
        int results = 600;
        for (int id = 1; id <= results; id++) {
            // Small results first, then strings ten times their size: each batch is sized from the last one's.
            Object value = id <= 300 ? (Object) 5L : "x".repeat(40);
            budgeted.result(id, value, 10, id < results);
        }

        byte[] written = output.toByteArray();
        for (int at = 0; at < written.length; ) {
            int frame = Protocol.FRAME_HEADER_BYTES + java.nio.ByteBuffer.wrap(written, at + 4, 4).getInt();
            assertTrue(frame <= 256, "a frame of " + frame + " bytes at " + at);
            at += frame;
        }
        FrameReader reader = reader();
        long next = 1;
        long busy = 0;
        for (Object message = reader.read(); message != null; message = reader.read()) {
            ResultBatch batch = assertInstanceOf(ResultBatch.class, message);
            for (long id : batch.ids()) {
                assertEquals(next++, id, "every result once, in order");
            }
            busy += batch.busyNanos();
        }
        assertEquals(results + 1, next);
        assertEquals(10L * results, busy, "no busy time lost or added by the splits");
    }

    private FrameReader reader() {
        return new FrameReader(new ByteArrayInputStream(output.toByteArray()), format, Protocol.DEFAULT_MAX_FRAME_BYTES);
    }
}
