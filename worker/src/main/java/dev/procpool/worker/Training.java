package dev.procpool.worker;

import dev.procpool.job.Job;
import dev.procpool.job.JobRegistry;
import dev.procpool.jobs.NoopJob;
import dev.procpool.protocol.EncodingException;
import dev.procpool.protocol.Forget;
import dev.procpool.protocol.FrameReader;
import dev.procpool.protocol.FrameWriter;
import dev.procpool.protocol.Handshake;
import dev.procpool.protocol.JobDefinition;
import dev.procpool.protocol.JobEncoder;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.Protocol;
import dev.procpool.protocol.RemoteError;
import dev.procpool.protocol.ResultBatch;
import dev.procpool.protocol.Shutdown;
import dev.procpool.protocol.TaskBatch;
import dev.procpool.protocol.TaskFailure;
import dev.procpool.protocol.TypeDefinitions;
import dev.procpool.protocol.WireFormat;
import dev.procpool.protocol.WorkerArguments;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The training run that records the workers' AOT cache ({@code -XX:AOTCacheOutput}): it encodes and decodes each kind
 * of message with each built-in job's task, as a coordinator and a worker would, then has a worker, made as
 * {@link WorkerMain} makes one, learn the no-op job and serve one of its tasks (having opened a descriptor
 * close-on-exec, as a worker opens its protocol's first), so that the cache holds the classes a
 * worker's start-up loads and links and the profiles of the methods it runs. Started by the coordinator as
 * {@code WorkerMain --train}.
 */
final class Training {

    private Training() {
    }

    static int run() {
        try {
            JobRegistry found = JobRegistry.loadDefault();
            exchangeEveryMessage(found);
            openCloseOnExec();
            return serveOneTask(WorkerArguments.serve(Protocol.DEFAULT_MAX_FRAME_BYTES));
        } catch (IOException | EncodingException | RuntimeException e) {
            System.err.println("procpool worker: training failed: " + e);
            return WorkerExit.PROTOCOL_ERROR;
        }
    }

    /**
     * Opens a descriptor close-on-exec as a worker opens its protocol's anew (see {@link CloseOnExecReopen}), so that
     * the cache holds the method handles' classes; {@code /dev/null}, since this run has no protocol of its own.
     */
    private static void openCloseOnExec() throws IOException {
        Optional<CloseOnExecReopen> reopen = CloseOnExecReopen.lookUp(System.err);
        if (reopen.isPresent()) {
            new FileInputStream(reopen.get().open(Path.of("/dev/null"), false)).close();
        }
    }

    /** Encodes and decodes the handshake and every message, with each job's definition, task and result. */
    private static void exchangeEveryMessage(JobRegistry jobs) throws IOException, EncodingException {
        WireFormat coordinator = WireFormat.forCoordinator();
        JobEncoder encoder = new JobEncoder(coordinator, Protocol.DEFAULT_MAX_FRAME_BYTES);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(bytes, coordinator, Protocol.DEFAULT_MAX_FRAME_BYTES);
        writer.writeHandshake(Handshake.of(coordinator.fingerprint()));
        long key = 0;
        for (Job<?, ?> job : jobs.jobs()) {
            JobEncoder.Encoded encoded = encoder.encode(job);
            writer.write(new TypeDefinitions(WireFormat.FIRST_ADDED_ID, coordinator.addedFrom(0)));
            writer.write(new JobDefinition(++key, job.name(), job.getClass().getName(), encoded.typeIds(),
                    encoded.value()));
            Object task = job.task(job.defaultSize(), job.taskCount(job.defaultSize(), 1000), 0);
            writer.write(TaskBatch.of(1, key, task));
            writer.write(ResultBatch.of(1, job.identity(), 1));
        }
        writer.write(TaskFailure.threw(2, RemoteError.of(new IllegalStateException("training"))));
        writer.write(new Forget(new long[] {key}));
        writer.write(Shutdown.INSTANCE);
        writer.flush();
        FrameReader reader = new FrameReader(new ByteArrayInputStream(bytes.toByteArray()), coordinator,
                Protocol.DEFAULT_MAX_FRAME_BYTES);
        reader.readHandshake();
        Message message;
        do {
            message = reader.read();
        } while (message != null && !(message instanceof Shutdown));
    }

    /**
     * Runs a real worker, made as {@link WorkerMain} makes one, on an in-process pipe: the no-op job's definition, one
     * of its tasks, then shutdown. The pipe stays open, as a coordinator's does until its worker has exited: at the end
     * of its input a worker halts the JVM, which would cut the training short.
     */
    private static int serveOneTask(WorkerArguments arguments) throws IOException, EncodingException {
        WireFormat coordinator = WireFormat.forCoordinator();
        NoopJob noop = new NoopJob();
        JobEncoder.Encoded encoded = new JobEncoder(coordinator, Protocol.DEFAULT_MAX_FRAME_BYTES).encode(noop);
        ByteArrayOutputStream requests = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(requests, coordinator, Protocol.DEFAULT_MAX_FRAME_BYTES);
        writer.write(new TypeDefinitions(WireFormat.FIRST_ADDED_ID, coordinator.addedFrom(0)));
        writer.write(new JobDefinition(1, noop.name(), NoopJob.class.getName(), encoded.typeIds(), encoded.value()));
        writer.write(TaskBatch.of(1, 1, 0));
        writer.write(Shutdown.INSTANCE);
        writer.flush();
        Pipe pipe = Pipe.open();
        // A few dozen bytes: the pipe holds them without a reader.
        pipe.sink().write(ByteBuffer.wrap(requests.toByteArray()));
        Worker worker = WorkerMain.worker(arguments, Channels.newInputStream(pipe.source()),
                new ByteArrayOutputStream(), false);
        return worker.run();
    }
}
