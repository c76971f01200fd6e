package dev.procpool.worker;

import dev.procpool.job.Job;
import dev.procpool.measure.TaskUsage;
import dev.procpool.measure.ThreadClock;
import dev.procpool.protocol.BatchBudget;
import dev.procpool.protocol.FrameReader;
import dev.procpool.protocol.Forget;
import dev.procpool.protocol.FrameWriter;
import dev.procpool.protocol.Handshake;
import dev.procpool.protocol.Heartbeat;
import dev.procpool.protocol.JobDefinition;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.ProtocolException;
import dev.procpool.protocol.RemoteError;
import dev.procpool.protocol.ShareFile;
import dev.procpool.protocol.ShareValue;
import dev.procpool.protocol.SharedValue;
import dev.procpool.protocol.Shutdown;
import dev.procpool.protocol.TaskBatch;
import dev.procpool.protocol.TaskFailure;
import dev.procpool.protocol.TypeDefinitions;
import dev.procpool.protocol.Unshare;
import dev.procpool.protocol.WireFormat;
import dev.procpool.protocol.WireType;
import dev.procpool.protocol.WorkerArguments;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * <p>The worker knows no job when it starts: its coordinator sends the classes its jobs need
 * ({@link TypeDefinitions}, registered by the reader thread before it decodes another frame) and each job itself
 * ({@link JobDefinition}, made by the reader thread and handed on in order with the tasks) before their first tasks,
 * and the values shared with them ({@link ShareValue} inline, or {@link ShareFile}, a large array this worker maps)
 * before the definitions that hold them. A value its coordinator closed ({@link Unshare}) leaves the reader's store at
 * once, and is let go of (its file unmapped) by the computing thread, after the tasks sent before.
 *
 * <p>When the input ends the coordinator is gone or wants this worker gone, so the worker halts at once
 * through {@code halt}: no task outlives its coordinator.
 */
final class Worker {

    private final InputStream in;
    private final OutputStream out;
    private final WireFormat format = WireFormat.forWorker();
    private final DefinedJobs jobs = new DefinedJobs();
    private final ClassLoader loader;
    private final int maxFrameBytes;
    private final int batchFrameBytes;
    /** How long the compute thread spins for the next message before it blocks; 0 behind a relay. */
    private final long spinNanos;
    private final IntConsumer halt;
    private final PrintStream log;
    /** Whether the protocol is on private descriptors, to be marked close-on-exec before the first task. */
    private final boolean privateDescriptors;
    /** The marking of the descriptors close-on-exec, started once the worker has said hello. */
    private CloseOnExec closeOnExec = CloseOnExec.none();
    /** Messages and the jobs made from definitions, in the order they came. */
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    /** The compute thread's; null until the first task. */
    private ThreadClock clock;

    /**
     * How often a stretch of tasks is measured, at most: reading the thread's clocks costs microseconds (as much as a
     * tiny task's whole round trip), so a worker flooded with tiny batches measures one a millisecond, a sample that
     * costs it under 1%, while any batch that comes after a quiet moment, or takes longer, is measured.
     */
    private static final long MEASURE_EVERY_NANOS = 1_000_000;
    /** When the last measured stretch began: as if a millisecond before the worker started, so its first is measured. */
    private long lastMeasured = System.nanoTime() - MEASURE_EVERY_NANOS;

    /** How long the compute thread spins for the next message before it blocks. */
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    /**
     * @param halt ends the process at once with a status (injected so tests can watch it instead)
     * @param log where the worker's own diagnostics go: stderr, in a real worker
     */
    Worker(InputStream in, OutputStream out, int maxFrameBytes, IntConsumer halt, PrintStream log) {
        this(in, out, WorkerArguments.serve(maxFrameBytes), halt, log);
    }

    /**
     * @param arguments its frame limit, the frame size its answers' batches keep within (see {@link BatchBudget}),
     *     and whether it spins for its next task
     */
    Worker(InputStream in, OutputStream out, WorkerArguments arguments, IntConsumer halt, PrintStream log) {
        int maxFrameBytes = arguments.maxFrameBytes();
        int batchFrameBytes = arguments.batchFrameBytes();
        this.spinNanos = arguments.spin() ? SPIN_NANOS : 0;
        this.in = in;
        this.out = out;
        this.loader = Worker.class.getClassLoader();
        this.maxFrameBytes = maxFrameBytes;
        this.batchFrameBytes = batchFrameBytes;
        this.halt = halt;
        this.log = log;
        this.privateDescriptors = arguments.privateDescriptors();
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
        if (privateDescriptors) {
            closeOnExec = CloseOnExec.start(log);
        }
        ResultSender sender = new ResultSender(writer, new BatchBudget(batchFrameBytes), halt, log);
        Thread reader = new Thread(new InboxReader(sender), "procpool-worker-stdin");
        reader.setDaemon(true);
        reader.start();
        try {
            return serve(sender);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return WorkerExit.OK;
        } catch (IOException e) {
            log.println("procpool worker: cannot write to the coordinator (" + e.getMessage() + "); exiting");
            return WorkerExit.CHANNEL_CLOSED;
        } finally {
            if (clock != null) {
                clock.close();
            }
        }
    }

    private int serve(ResultSender sender) throws InterruptedException, IOException {
        while (true) {
            Object message = nextMessage();
            if (message == null) {
                continue;
            }
            if (message instanceof Shutdown) {
                sender.flush();
                return WorkerExit.OK;
            }
            if (message instanceof TaskBatch batch) {
                execute(batch, sender);
            } else if (message instanceof DefinedJobs.Defined defined) {
                jobs.add(defined);
            } else if (message instanceof Forget forget) {
                jobs.forget(forget.keys());
            } else if (message instanceof Released released) {
                released.values().forEach(SharedValue::release);
            } else {
                log.println("procpool worker: ignoring unexpected " + message.getClass().getSimpleName());
            }
        }
    }

    /**
     * The next message, or null after a second without one. On a pipe, spins for a moment before blocking: when
     * tasks come one at a time, the next usually arrives within that moment, and waking a parked thread would cost
     * more than the whole round trip otherwise takes. Behind a relay (ssh, srun), blocks at once: the relay needs the
     * core to bring the task.
     */
    private Object nextMessage() throws InterruptedException {
        long spinUntil = System.nanoTime() + spinNanos;
        do {
            Object message = inbox.poll();
            if (message != null) {
                return message;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() < spinUntil);
        // Bounded so the loop stays responsive; the reader thread ends the process when the input ends.
        return inbox.poll(1, TimeUnit.SECONDS);
    }

    /**
     * Computes a batch's tasks in order. The thread's CPU and ready time are measured over the whole batch, not per
     * task, and at most once a millisecond (see {@link #MEASURE_EVERY_NANOS}).
     */
    private void execute(TaskBatch batch, ResultSender sender) throws IOException {
        closeOnExec.awaitDone();
        DefinedJobs.Defined defined = jobs.get(batch.job());
        Job<?, ?> job = defined == null ? null : defined.job();
        RemoteError unavailable = job != null && !batch.skipped() ? null
                : defined != null && defined.unavailable() != null ? defined.unavailable()
                : RemoteError.of(new IllegalStateException("no job was defined under key " + batch.job()
                        + " before its tasks"));
        long[] ids = batch.ids();
        Object[] tasks = batch.tasks();
        ThreadClock clock = clock();
        long now = System.nanoTime();
        boolean measured = now - lastMeasured >= MEASURE_EVERY_NANOS;
        if (measured) {
            lastMeasured = now;
            clock.start();
        }
        for (int i = 0; i < ids.length; i++) {
            boolean last = i == ids.length - 1;
            boolean moreQueued = !last || !inbox.isEmpty();
            if (unavailable != null) {
                if (last) {
                    sender.spent(measured ? clock.stop() : TaskUsage.NONE);
                }
                sender.failure(new TaskFailure(ids[i], TaskFailure.Kind.JOB_UNAVAILABLE, unavailable), moreQueued);
                continue;
            }
            long start = System.nanoTime();
            Object value;
            Throwable failure = null;
            try {
                value = computeUnchecked(job, tasks[i]);
            } catch (OutOfMemoryError e) {
                // Not a task failure: the heap is in an unknown state. Let the JVM end this worker.
                throw e;
            } catch (Throwable t) {
                value = null;
                failure = t;
            }
            long nanos = System.nanoTime() - start;
            if (last) {
                sender.spent(measured ? clock.stop() : TaskUsage.NONE);
            }
            if (failure != null) {
                sender.failure(TaskFailure.threw(ids[i], RemoteError.of(failure)), moreQueued);
            } else {
                sender.result(ids[i], value, nanos, moreQueued);
            }
        }
    }

    /** The compute thread's clock, opened on first use so that a worker's start-up does not pay for it. */
    private ThreadClock clock() {
        if (clock == null) {
            clock = ThreadClock.ofCurrentThread();
        }
        return clock;
    }

    @SuppressWarnings("unchecked")
    private static <T> Object computeUnchecked(Job<T, ?> job, Object task) throws Exception {
        return job.compute((T) task);
    }

    /** The stdin reader thread's body. A class rather than a lambda: the start path spins no lambda (see WorkerMain). */
    private final class InboxReader implements Runnable {
        private final ResultSender sender;

        InboxReader(ResultSender sender) {
            this.sender = sender;
        }

        @Override
        public void run() {
            readInbox(sender);
        }
    }

    /**
     * Reads frames into the inbox until the input ends, and answers heartbeats at once, whatever the compute thread is
     * doing: a long task never makes the worker look dead.
     */
    private void readInbox(ResultSender sender) {
        FrameReader reader = new FrameReader(in, format, maxFrameBytes);
        try {
            Message message;
            while ((message = reader.read()) != null) {
                if (message instanceof Heartbeat heartbeat) {
                    if (!answer(sender, heartbeat)) {
                        return;
                    }
                } else if (message instanceof TypeDefinitions types) {
                    define(types); // before the next frame is decoded: it may hold these classes
                } else if (message instanceof ShareValue share) {
                    format.shared().put(received(share, reader));
                } else if (message instanceof ShareFile share) {
                    // Mapped here, before the next frame: the definitions that hold it are decoded by this thread.
                    format.shared().put(SharedValue.mapped(share.id(), Path.of(share.path()), share.element(),
                            share.length()));
                } else if (message instanceof JobDefinition definition) {
                    inbox.add(DefinedJobs.make(definition, format, reader));
                } else if (message instanceof Unshare unshare) {
                    List<SharedValue<?>> released = new ArrayList<>();
                    for (long id : unshare.ids()) {
                        SharedValue<?> value = format.shared().remove(id);
                        if (value != null) {
                            released.add(value);
                        }
                    }
                    inbox.add(new Released(released));
                } else {
                    if (message instanceof Forget forget) {
                        for (long key : forget.keys()) {
                            format.forget(key);
                        }
                    }
                    inbox.add(message);
                }
            }
            halt.accept(WorkerExit.OK);
        } catch (ProtocolException e) {
            log.println("procpool worker: protocol error on stdin: " + e.getMessage() + "; exiting");
            halt.accept(WorkerExit.PROTOCOL_ERROR);
        } catch (IOException e) {
            halt.accept(WorkerExit.OK); // its input ended uncleanly: the coordinator is gone
        }
    }

    /** Shared values the coordinator closed, to be let go of once the tasks before them have run. */
    private record Released(List<SharedValue<?>> values) {
    }

    /** A value shared inline, decoded; or, if it cannot be, an entry saying why, which its jobs fail with. */
    private static SharedValue<?> received(ShareValue share, FrameReader reader) {
        try {
            return SharedValue.received(share.id(), reader.decodeValue(share.value()));
        } catch (RuntimeException | LinkageError e) {
            return SharedValue.missing(share.id(), "cannot decode shared value " + share.id() + " on this worker: "
                    + e);
        }
    }

    /**
     * Registers the classes the coordinator added, loading each by name. One that cannot be loaded here (or is another
     * version of the class) is entered as unavailable: the jobs that need it fail, saying why.
     *
     * @throws ProtocolException if the ids do not follow on from this worker's table
     */
    private void define(TypeDefinitions types) throws ProtocolException {
        try {
            for (WireType type : types.types()) {
                format.define(type.id(), type.className(), type.kind(), type.shape(), loader);
            }
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(e.getMessage());
        }
    }

    /** Answers a heartbeat; if the answer cannot be written, the channel is gone and the worker halts. */
    private boolean answer(ResultSender sender, Heartbeat heartbeat) {
        try {
            sender.heartbeat(Usage.answer(heartbeat));
            return true;
        } catch (IOException e) {
            log.println("procpool worker: cannot answer a heartbeat: " + e.getMessage() + "; exiting");
            halt.accept(WorkerExit.CHANNEL_CLOSED);
            return false;
        }
    }
}
