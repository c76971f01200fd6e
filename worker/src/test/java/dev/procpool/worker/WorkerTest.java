package dev.procpool.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.job.JobRegistry;
import dev.procpool.job.Range;
import dev.procpool.jobs.SqrtJob;
import dev.procpool.protocol.FrameReader;
import dev.procpool.protocol.FrameWriter;
import dev.procpool.protocol.Handshake;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.Protocol;
import dev.procpool.protocol.ResultBatch;
import dev.procpool.protocol.Shutdown;
import dev.procpool.protocol.TaskBatch;
import dev.procpool.protocol.TaskFailure;
import dev.procpool.protocol.WireFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The worker's protocol loop in-process, over byte streams, with the halt captured instead of performed. */
@Timeout(30)
class WorkerTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private final JobRegistry jobs = JobRegistry.loadDefault();
    private final WireFormat format = WireFormat.of(jobs);
    private final CompletableFuture<Integer> halted = new CompletableFuture<>();

    private byte[] frames(Message... messages) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(bytes, format, Protocol.DEFAULT_MAX_FRAME_BYTES);
        for (Message message : messages) {
            writer.write(message);
        }
        writer.flush();
        return bytes.toByteArray();
    }

    private Worker worker(byte[] input, ByteArrayOutputStream output) {
        return new Worker(new ByteArrayInputStream(input), output, jobs, Protocol.DEFAULT_MAX_FRAME_BYTES,
                halted::complete, QUIET);
    }

    @Test
    void run_handshakeFirst_thenAnswersEachTask_thenExitsOnShutdown() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        byte[] input = frames(new TaskBatch("sqrt", new long[] {1, 2}, new Object[] {new Range(1, 10), new Range(10, 20)}),
                Shutdown.INSTANCE);

        int status = worker(input, output).run();

        assertEquals(WorkerExit.OK, status);
        FrameReader reader = new FrameReader(new ByteArrayInputStream(output.toByteArray()), format,
                Protocol.DEFAULT_MAX_FRAME_BYTES);
        Handshake handshake = reader.readHandshake();
        assertTrue(handshake.matches(format.fingerprint()));
        assertEquals(ProcessHandle.current().pid(), handshake.pid());
        List<Long> ids = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        Message message;
        while ((message = reader.read()) != null) {
            ResultBatch results = assertInstanceOf(ResultBatch.class, message);
            Arrays.stream(results.ids()).forEach(ids::add);
            values.addAll(Arrays.asList(results.values()));
        }
        assertEquals(List.of(1L, 2L), ids, "answered in order");
        assertEquals(List.of(new SqrtJob().compute(new Range(1, 10)), new SqrtJob().compute(new Range(10, 20))), values);
    }

    @Test
    void run_reportsTheCpuTimeOfComputingTasks_andLittleForWaitingOnes() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        byte[] input = frames(TaskBatch.of(1, "sqrt", new Range(1, 40_000_000)), TaskBatch.of(2, "sleep", new Range(0, 5)),
                Shutdown.INSTANCE);

        worker(input, output).run();

        FrameReader reader = new FrameReader(new ByteArrayInputStream(output.toByteArray()), format,
                Protocol.DEFAULT_MAX_FRAME_BYTES);
        reader.readHandshake();
        ResultBatch computed = assertInstanceOf(ResultBatch.class, reader.read());
        ResultBatch waited = assertInstanceOf(ResultBatch.class, reader.read());
        // Time spent waiting for a core (another build on this machine) is neither CPU time nor waiting.
        assertTrue(computed.cpuNanos() + computed.readyNanos() > computed.busyNanos() * 3 / 4, computed.toString());
        assertTrue(waited.busyNanos() >= TimeUnit.MILLISECONDS.toNanos(50), waited.toString());
        assertTrue(waited.cpuNanos() < waited.busyNanos() / 4, waited.toString());
    }

    @Test
    void run_unknownJob_answersWithAFailureNamingTheKnownJobs() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        worker(frames(TaskBatch.of(5, "nope", 1L), Shutdown.INSTANCE), output).run();

        FrameReader reader = new FrameReader(new ByteArrayInputStream(output.toByteArray()), format,
                Protocol.DEFAULT_MAX_FRAME_BYTES);
        reader.readHandshake();
        TaskFailure failure = assertInstanceOf(TaskFailure.class, reader.read());
        assertEquals(5, failure.taskId());
        assertEquals("java.lang.IllegalArgumentException", failure.error().className());
        assertTrue(failure.error().message().contains("sqrt"), failure.error().message());
    }

    @Test
    void run_taskOfTheWrongType_answersWithAFailure() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        worker(frames(TaskBatch.of(6, "sqrt", "not a range"), Shutdown.INSTANCE), output).run();

        FrameReader reader = new FrameReader(new ByteArrayInputStream(output.toByteArray()), format,
                Protocol.DEFAULT_MAX_FRAME_BYTES);
        reader.readHandshake();
        TaskFailure failure = assertInstanceOf(TaskFailure.class, reader.read());
        assertEquals("java.lang.ClassCastException", failure.error().className());
    }

    @Test
    void inputEnds_workerHaltsWithStatusZero() throws Exception {
        PipedOutputStream coordinator = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(coordinator);
        Worker worker = new Worker(stdin, new ByteArrayOutputStream(), jobs, Protocol.DEFAULT_MAX_FRAME_BYTES,
                halted::complete, QUIET);
        Thread serving = new Thread(worker::run, "worker-under-test");
        serving.setDaemon(true);
        serving.start();

        coordinator.close();

        assertEquals(WorkerExit.OK, halted.get(10, TimeUnit.SECONDS));
    }

    @Test
    void garbageOnStdin_workerHaltsWithProtocolError() throws Exception {
        Worker worker = worker("this is not a frame".getBytes(), new ByteArrayOutputStream());
        Thread serving = new Thread(worker::run, "worker-under-test");
        serving.setDaemon(true);
        serving.start();

        assertEquals(WorkerExit.PROTOCOL_ERROR, halted.get(10, TimeUnit.SECONDS));
    }
}
