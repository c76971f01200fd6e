package dev.procpool.worker;

import dev.procpool.job.Job;
import dev.procpool.job.JobRegistry;
import dev.procpool.protocol.FrameReader;
import dev.procpool.protocol.FrameWriter;
import dev.procpool.protocol.Handshake;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.ProtocolException;
import dev.procpool.protocol.RemoteError;
import dev.procpool.protocol.Shutdown;
import dev.procpool.protocol.TaskFailure;
import dev.procpool.protocol.TaskRequest;
import dev.procpool.protocol.TaskResult;
import dev.procpool.protocol.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * One worker's protocol loop. A daemon thread reads frames from the input into an inbox (so the coordinator can
 * always write, and the end of the input is noticed even mid-task); the calling thread computes tasks one at a
 * time, in the order they arrived, and hands each answer to a {@link ResultSender}, which batches answers under
 * load without delaying any by more than a millisecond.
 *
 * <p>When the input ends the coordinator is gone or wants this worker gone, so the worker halts at once
 * through {@code halt}: no task outlives its coordinator.
 */
final class Worker {

    private final InputStream in;
    private final OutputStream out;
    private final JobRegistry jobs;
    private final WireFormat format;
    private final int maxFrameBytes;
    private final IntConsumer halt;
    private final PrintStream log;
    private final BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();

    /**
     * @param halt ends the process at once with a status (injected so tests can watch it instead)
     * @param log where the worker's own diagnostics go: stderr, in a real worker
     */
    Worker(InputStream in, OutputStream out, JobRegistry jobs, int maxFrameBytes, IntConsumer halt, PrintStream log) {
        this.in = in;
        this.out = out;
        this.jobs = jobs;
        this.format = WireFormat.of(jobs);
        this.maxFrameBytes = maxFrameBytes;
        this.halt = halt;
        this.log = log;
    }

    /** Runs until told to shut down; returns the exit status. */
    int run() {
        FrameWriter writer = new FrameWriter(out, format, maxFrameBytes);
        try {
            writer.writeHandshake(Handshake.of(format.fingerprint()));
            writer.flush();
        } catch (IOException e) {
            return WorkerExit.CHANNEL_CLOSED;
        }
        Thread reader = new Thread(this::readInbox, "procpool-worker-stdin");
        reader.setDaemon(true);
        reader.start();
        try {
            return serve(new ResultSender(writer, halt, log));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return WorkerExit.OK;
        } catch (IOException e) {
            log.println("procpool worker: cannot write to the coordinator (" + e.getMessage() + "); exiting");
            return WorkerExit.CHANNEL_CLOSED;
        }
    }

    private int serve(ResultSender sender) throws InterruptedException, IOException {
        while (true) {
            // Bounded so the loop stays responsive; the reader thread ends the process when the input ends.
            Message message = inbox.poll(1, TimeUnit.SECONDS);
            if (message == null) {
                continue;
            }
            if (message instanceof Shutdown) {
                sender.flush();
                return WorkerExit.OK;
            }
            if (message instanceof TaskRequest request) {
                Message answer = execute(request);
                sender.send(answer, !inbox.isEmpty());
            } else {
                log.println("procpool worker: ignoring unexpected " + message.getClass().getSimpleName());
            }
        }
    }

    private Message execute(TaskRequest request) {
        Job<?, ?> job = jobs.find(request.job()).orElse(null);
        if (job == null) {
            return new TaskFailure(request.taskId(), RemoteError.of(new IllegalArgumentException(
                    "this worker has no job named '" + request.job() + "'; it knows " + jobs.names())));
        }
        try {
            return new TaskResult(request.taskId(), computeUnchecked(job, request.task()));
        } catch (OutOfMemoryError e) {
            // Not a task failure: the heap is in an unknown state. Let the JVM end this worker.
            throw e;
        } catch (Throwable t) {
            return new TaskFailure(request.taskId(), RemoteError.of(t));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> Object computeUnchecked(Job<T, ?> job, Object task) throws Exception {
        return job.compute((T) task);
    }

    private void readInbox() {
        FrameReader reader = new FrameReader(in, format, maxFrameBytes);
        try {
            Message message;
            while ((message = reader.read()) != null) {
                inbox.add(message);
            }
            halt.accept(WorkerExit.OK);
        } catch (ProtocolException e) {
            log.println("procpool worker: protocol error on stdin: " + e.getMessage() + "; exiting");
            halt.accept(WorkerExit.PROTOCOL_ERROR);
        } catch (IOException e) {
            halt.accept(WorkerExit.OK);
        }
    }
}
