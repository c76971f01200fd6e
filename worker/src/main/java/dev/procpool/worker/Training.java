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
import dev.procpool.protocol.WorkerArguments;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;

/**
 * The training run that records the workers' AOT cache ({@code -XX:AOTCacheOutput}): it starts a worker the way
 * {@link WorkerMain} does, from the arguments a coordinator passes (the worker jar's own jobs named by class), encodes
 * and decodes each kind of message with each job's task type, and has the worker serve one no-op task, so that the
 * cache holds the classes a worker's start-up loads and links and the profiles of the methods it runs. Started by
 * the coordinator as {@code WorkerMain --train}.
 */
final class Training {

    private Training() {
    }

    static int run() {
        try {
            JobRegistry found = JobRegistry.loadDefault();
            WorkerArguments arguments = WorkerArguments.parse(
                    WorkerArguments.serve(Protocol.DEFAULT_MAX_FRAME_BYTES, found.classNames()).toList()
                            .toArray(new String[0]));
            WireFormat format = WireFormat.of(found);
            exchangeEveryMessage(found, format);
            return serveOneTask(arguments, format);
        } catch (IOException | EncodingException | RuntimeException e) {
            System.err.println("procpool worker: training failed: " + e);
            return WorkerExit.PROTOCOL_ERROR;
        }
    }

    /** Encodes and decodes the handshake and every message, with each job's task and result. */
    private static void exchangeEveryMessage(JobRegistry jobs, WireFormat format)
            throws IOException, EncodingException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(bytes, format, Protocol.DEFAULT_MAX_FRAME_BYTES);
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
    }

    /**
     * Runs a real worker, made as {@link WorkerMain} makes one, on an in-process pipe: one no-op task, then shutdown.
     * The pipe stays open, as a coordinator's does until its worker has exited: at the end of its input a worker
     * halts the JVM, which would cut the training short.
     */
    private static int serveOneTask(WorkerArguments arguments, WireFormat format)
            throws IOException, EncodingException {
        ByteArrayOutputStream requests = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(requests, format, Protocol.DEFAULT_MAX_FRAME_BYTES);
        writer.write(TaskBatch.of(1, "noop", 0));
        writer.write(Shutdown.INSTANCE);
        writer.flush();
        Pipe pipe = Pipe.open();
        // A few dozen bytes: the pipe holds them without a reader.
        pipe.sink().write(ByteBuffer.wrap(requests.toByteArray()));
        Worker worker = WorkerMain.worker(arguments, Channels.newInputStream(pipe.source()),
                new ByteArrayOutputStream());
        return worker.run();
    }
}
