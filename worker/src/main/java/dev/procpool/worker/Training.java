package dev.procpool.worker;

import dev.procpool.job.Job;
import dev.procpool.job.JobRegistry;
import dev.procpool.protocol.EncodingException;
import dev.procpool.protocol.FrameReader;
import dev.procpool.protocol.FrameWriter;
import dev.procpool.protocol.Handshake;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.Protocol;
import dev.procpool.protocol.RemoteError;
import dev.procpool.protocol.ResultBatch;
import dev.procpool.protocol.Shutdown;
import dev.procpool.protocol.TaskBatch;
import dev.procpool.protocol.TaskFailure;
import dev.procpool.protocol.WireFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The class-data-sharing training run: does everything a worker does on its way to its first answer (finds the
 * jobs, builds the wire format, encodes and decodes each kind of message with each job's task type) but computes
 * nothing, so the JVM's archive of the classes it loaded ({@code -XX:ArchiveClassesAtExit}) covers a worker's
 * start-up. Started by the coordinator as {@code WorkerMain --train}.
 */
final class Training {

    private Training() {
    }

    /** Runs a real worker loop over in-memory streams: one no-op task, then shutdown. */
    private static int serveOneTask(JobRegistry jobs, WireFormat format) throws IOException, EncodingException {
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        FrameWriter requests = new FrameWriter(input, format, Protocol.DEFAULT_MAX_FRAME_BYTES);
        requests.write(TaskBatch.of(1, "noop", 0));
        requests.write(Shutdown.INSTANCE);
        requests.flush();
        Worker worker = new Worker(new ByteArrayInputStream(input.toByteArray()), new ByteArrayOutputStream(), jobs,
                Protocol.DEFAULT_MAX_FRAME_BYTES, status -> { }, System.err);
        return worker.run();
    }

    static int run() {
        JobRegistry jobs = JobRegistry.loadDefault();
        WireFormat format = WireFormat.of(jobs);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(bytes, format, Protocol.DEFAULT_MAX_FRAME_BYTES);
        try {
            writer.writeHandshake(Handshake.of(format.fingerprint()));
            for (Job<?, ?> job : jobs.jobs()) {
                Object task = job.task(job.defaultSize(), job.taskCount(job.defaultSize(), 1000), 0);
                writer.write(TaskBatch.of(1, job.name(), task));
                writer.write(ResultBatch.of(1, job.identity(), 1));
            }
            writer.write(new TaskFailure(2, RemoteError.of(new IllegalStateException("training"))));
            writer.write(Shutdown.INSTANCE);
            writer.flush();
            FrameReader reader = new FrameReader(new ByteArrayInputStream(bytes.toByteArray()), format,
                    Protocol.DEFAULT_MAX_FRAME_BYTES);
            reader.readHandshake();
            Message message;
            do {
                message = reader.read();
            } while (message != null && !(message instanceof Shutdown));
            return serveOneTask(jobs, format);
        } catch (IOException | EncodingException | RuntimeException e) {
            System.err.println("procpool worker: training failed: " + e);
            return WorkerExit.PROTOCOL_ERROR;
        }
    }
}
