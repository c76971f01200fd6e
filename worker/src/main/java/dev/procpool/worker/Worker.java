package dev.procpool.worker;

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
import dev.procpool.protocol.ShareFile;
import dev.procpool.protocol.ShareValue;
import dev.procpool.protocol.SharedValue;
import dev.procpool.protocol.Shutdown;
import dev.procpool.protocol.TaskBatch;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;

/**
 * One worker's protocol loop, on two threads ({@code procpool-worker-lane-1} and {@code -2}) that take two roles in
 * turn ({@link Roles}):
 * the <em>reader</em> reads frames from the input, answers heartbeats at once and queues everything else in an inbox;
 * the <em>computer</em> takes the inbox's messages in the order they came, computes tasks one at a time, and hands
 * each answer to a {@link ResultSender}, which batches answers under load without delaying any by more than a
 * millisecond. A reader that queues a message while nobody computes becomes the computer itself and gives up reading:
 * so a task that arrives at an idle worker is computed, and its answer written, by the very thread the input woke, as
 * in a bare echo, with no hand-off and no other thread woken on its way (a reader also polls the input for
 * {@link #SPIN_NANOS} before it blocks, which saves the wake-up of the thread itself when tasks come one at a time,
 * here and behind {@code ssh} or {@code srun} alike). If more input is already there, it wakes the
 * other thread to read it meanwhile; otherwise the other thread, waiting without a role, looks every
 * {@link #STANDBY_MILLIS} ms and takes up reading if nobody has, so while a long task computes, heartbeats are
 * answered and the end of the input is noticed all the same, and a frame the coordinator sends meanwhile waits at most
 * that long to be read. A computer that empties the inbox reads again, unless the other thread has taken up reading;
 * then it waits without a role. A task that leaves its thread interrupted has the flag cleared before the next.
 *
 * <p>The worker knows no job when it starts: its coordinator sends the classes its jobs need
 * ({@link TypeDefinitions}, registered by the reader before it decodes another frame) and each job itself
 * ({@link JobDefinition}, made by the reader and handed on in order with the tasks) before their first tasks,
 * and the values shared with them ({@link ShareValue} inline, or {@link ShareFile}, a large array this worker maps)
 * before the definitions that hold them. A value its coordinator closed ({@link Unshare}) leaves the reader's store at
 * once, and is let go of (its file unmapped) by the computer, after the tasks sent before.
 *
 * <p>When the input ends the coordinator is gone or wants this worker gone, so the worker halts at once
 * through {@code halt} (within {@link #STANDBY_MILLIS} ms while a task computes): no task outlives its coordinator.
 * Only a worker that was told to shut down first (a coordinator retiring it closes its input right after) gives its
 * computer up to {@link #SHUTDOWN_GRACE_MILLIS} ms to do so, saying what the process used.
 */
final class Worker {

    private final InputStream in;
    private final OutputStream out;
    private final WireFormat format = WireFormat.forWorker();
    private final ClassLoader loader;
    private final int maxFrameBytes;
    private final int batchFrameBytes;
    private final IntConsumer halt;
    private final PrintStream log;
    /** Whether the protocol's descriptors are still to be marked close-on-exec (see {@link CloseOnExec}). */
    private final boolean markDescriptors;
    /** The marking of the descriptors close-on-exec, started once the worker has said hello. */
    private volatile CloseOnExec closeOnExec = CloseOnExec.none();
    /** Messages and the jobs made from definitions, in the order they came: the reader adds, the computer takes. */
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    /** What the computer's role does with them; used only by the thread that holds the role. */
    private final Computer computer;
    /** Who reads and who computes. */
    private final Roles roles = new Roles();
    /**
     * How long a lane with no role waits before it looks for the reader's role again, unless woken sooner: the longest
     * the input goes unread while a task computes (a heartbeat unanswered, a large frame from the coordinator waiting in
     * the pipe), and how often an idle worker's thread wakes.
     */
    private static final long STANDBY_MILLIS = 20;
    /** How long a reader waits for input before it blocks for it (see {@link Lane#spinForInput()}). */
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    /** The exit status, once the computer has been told to shut down or cannot go on. */
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    /**
     * The status the worker halted with when its input ended or broke; -1 before. Under test, where halting does not end
     * the process, the worker then finishes what is queued and {@link #run()} returns it.
     */
    private volatile int halted = -1;
    /**
     * Whether a {@link Shutdown} has been read: the coordinator then closes the input at once, and the computer must
     * still get to it (it says what the process used on its way out, which a coordinator elsewhere learns only so).
     */
    private volatile boolean toldToShutDown;
    /** How long a worker told to shut down waits for its computer to do so once its input has ended, before halting. */
    private static final long SHUTDOWN_GRACE_MILLIS = 2_000;

    /**
     * @param halt ends the process at once with a status (injected so tests can watch it instead)
     * @param log where the worker's own diagnostics go: stderr, in a real worker
     */
    Worker(InputStream in, OutputStream out, int maxFrameBytes, IntConsumer halt, PrintStream log) {
        this(in, out, WorkerArguments.serve(maxFrameBytes), false, halt, log);
    }

    /**
     * @param arguments its frame limit and the frame size its answers' batches keep within (see {@link BatchBudget})
     * @param markDescriptors whether to mark the process's descriptors close-on-exec once it has said hello, before
     *     it decodes its first frame ({@link CloseOnExec}): true for a protocol on private descriptors that could not
     *     be opened anew close-on-exec ({@link CloseOnExecReopen})
     */
    Worker(InputStream in, OutputStream out, WorkerArguments arguments, boolean markDescriptors, IntConsumer halt,
            PrintStream log) {
        this.in = in;
        this.out = out;
        this.loader = Worker.class.getClassLoader();
        this.maxFrameBytes = arguments.maxFrameBytes();
        this.batchFrameBytes = arguments.batchFrameBytes();
        this.halt = halt;
        this.log = log;
        this.computer = new Computer(inbox, log);
        this.markDescriptors = markDescriptors;
    }

    /**
     * Runs until told to shut down; returns the exit status. (When its input ends, the worker halts; under test, where
     * that does not end the process, it returns once it has computed what was queued.)
     */
    int run() {
        FrameWriter writer = new FrameWriter(out, format, maxFrameBytes);
        try {
            writer.writeHandshake(Handshake.of(format.fingerprint()));
            writer.flush();
        } catch (IOException e) {
            return WorkerExit.CHANNEL_CLOSED;
        }
        if (markDescriptors) {
            closeOnExec = CloseOnExec.start(log);
        }
        ResultSender sender = new ResultSender(writer, new BatchBudget(batchFrameBytes), halt, log);
        FrameReader reader = new FrameReader(in, format, maxFrameBytes);
        Lane first = new Lane(reader, sender);
        Lane second = new Lane(reader, sender);
        first.other = second;
        second.other = first;
        first.start("procpool-worker-lane-1");
        second.start("procpool-worker-lane-2");
        try {
            while (true) {
                try {
                    // Bounded so the loop stays responsive; the reader ends the process when the input ends.
                    return exit.get(1, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    // still serving
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return WorkerExit.OK;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Who reads and who computes, for tests that wait for a state of the worker's threads. */
    Roles roles() {
        return roles;
    }

    /**
     * One of the worker's two threads, taking the reader's and the computer's roles in turn. A class rather than a
     * lambda: the start path spins no lambda (see WorkerMain).
     */
    private final class Lane implements Runnable {
        private final FrameReader reader;
        private final ResultSender sender;
        /** Released to wake this lane, waiting without a role, when there is input to read. */
        private final Semaphore readingTurn = new Semaphore(0);
        private Lane other;
        /** This thread's clock, opened on its first task so that a worker's start-up does not pay for it. */
        private ThreadClock clock;

        Lane(FrameReader reader, ResultSender sender) {
            this.reader = reader;
            this.sender = sender;
        }

        void start(String name) {
            Thread thread = new Thread(this, name);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            try {
                while (!exit.isDone()) {
                    if (halted >= 0) {
                        finishAfterHalt();
                    } else if (roles.takeReading()) {
                        closeOnExec.awaitDone(); // before the first frame is decoded: decoding may run the user's code
                        spinForInput();
                        if (read()) {
                            compute();
                        }
                    } else {
                        standBy();
                    }
                }
            } catch (IOException e) {
                log.println("procpool worker: cannot write to the coordinator (" + e.getMessage() + "); exiting");
                exit.complete(WorkerExit.CHANNEL_CLOSED);
            } catch (RuntimeException | Error e) {
                exit.completeExceptionally(e);
            } finally {
                if (clock != null) {
                    clock.close();
                }
            }
        }

        /**
         * Waits without a role, until woken or for {@link #STANDBY_MILLIS}. An interrupt (a task's own code can
         * interrupt any thread it finds) only ends the wait early.
         */
        private void standBy() {
            try {
                readingTurn.tryAcquire(STANDBY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                // Nobody of ours interrupts a lane: looked at as any wake-up, then forgotten.
            }
            readingTurn.drainPermits(); // wake-ups given while it was busy: it is looking now
        }

        /**
         * Under test, once the input has ended: the lane that takes the computer's role computes what is left in the
         * inbox, then the worker is done, with the status it halted with.
         */
        private void finishAfterHalt() throws IOException {
            if (roles.takeComputing()) {
                compute();
                exit.complete(halted);
            } else {
                standBy();
            }
        }

        /**
         * Waits a moment for input before it blocks for it: when tasks come one at a time, the next usually arrives
         * within that moment, and blocking would cost a wake-up on its way.
         */
        private void spinForInput() {
            long until = System.nanoTime() + SPIN_NANOS;
            try {
                while (!reader.hasMoreReady() && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            } catch (IOException e) {
                // The input is broken: read() finds out and says so.
            }
        }

        /**
         * Reads frames until it has queued a message while nobody computed, then takes the computer's role and gives
         * up reading, waking the other lane if more input is there: returns true then. Halts the process when the input
         * ends or breaks, and returns false under test, where that does not end it.
         */
        private boolean read() {
            try {
                Message message;
                while ((message = reader.read()) != null) {
                    if (message instanceof Shutdown) {
                        toldToShutDown = true;
                    }
                    if (receive(message, reader, sender) && roles.takeComputing()) {
                        boolean more = moreReady(); // asked before reading is given up: one reader at a time
                        roles.giveUpReading();
                        if (more) {
                            other.readingTurn.release(); // more is coming: the other lane reads it meanwhile
                        }
                        return true;
                    }
                }
                if (!toldToShutDown || !shutsDownWithin(SHUTDOWN_GRACE_MILLIS)) {
                    halt(WorkerExit.OK);
                }
            } catch (ProtocolException e) {
                log.println("procpool worker: protocol error on stdin: " + e.getMessage() + "; exiting");
                halt(WorkerExit.PROTOCOL_ERROR);
            } catch (IOException e) {
                halt(WorkerExit.OK); // its input ended uncleanly: the coordinator is gone
            } catch (HaltedException e) {
                // A heartbeat could not be answered: halted already.
            }
            // Under test, where halting does not end the process: this lane keeps the reader's role, so nobody reads
            // again, and whichever lane computes next finishes what is queued.
            return false;
        }

        /**
         * Whether the computer shuts the worker down within {@code millis}, with the {@link Shutdown} it was given
         * (the input ended after it, as a coordinator retiring a worker closes it).
         */
        private boolean shutsDownWithin(long millis) {
            try {
                exit.get(millis, TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException | ExecutionException e) {
                return exit.isDone();
            } catch (InterruptedException e) {
                return false; // nobody of ours interrupts a lane: a task's code did; halt
            }
        }

        /** Whether more input is there without waiting; a broken input says yes, so that read() finds it out. */
        private boolean moreReady() {
            try {
                return reader.hasMoreReady();
            } catch (IOException e) {
                return true;
            }
        }

        /**
         * Takes the inbox's messages in order until it is empty, then gives up the computer's role, unless a message
         * came in between (a reader that saw the role taken left it queued).
         */
        private void compute() throws IOException {
            do {
                Object message;
                while ((message = inbox.poll()) != null) {
                    if (message instanceof TaskBatch batch) {
                        computer.execute(batch, sender, clock());
                    } else if (!computer.handle(message, sender)) {
                        exit.complete(WorkerExit.OK); // told to shut down
                        return;
                    }
                }
            } while (roles.giveUpComputing(inbox));
        }

        /** This thread's clock, opened on first use so that a worker's start-up does not pay for it. */
        ThreadClock clock() {
            if (clock == null) {
                clock = ThreadClock.ofCurrentThread();
            }
            return clock;
        }
    }

    /** Halts the process with {@code status}; under test, where it does not end, notes it for the lanes. */
    private void halt(int status) {
        halt.accept(status);
        halted = status;
    }

    /** Ends the reading of an input that is gone: the process has halted, or under test pretends to. */
    private static final class HaltedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HaltedException() {
            super("the worker's input ended", null, false, false);
        }
    }

    /**
     * Takes in a frame as the reader: answers a heartbeat at once, whatever the computer is doing (a long task never
     * makes the worker look dead), registers classes and shared values before the next frame is decoded, and queues
     * everything else for the computer. Returns whether it queued something.
     *
     * @throws HaltedException if a heartbeat could not be answered: the channel is gone, and the worker halted
     */
    private boolean receive(Message message, FrameReader reader, ResultSender sender) throws ProtocolException {
        if (message instanceof Heartbeat heartbeat) {
            if (!answer(sender, heartbeat)) {
                throw new HaltedException();
            }
            return false;
        } else if (message instanceof TypeDefinitions types) {
            define(types); // before the next frame is decoded: it may hold these classes
            return false;
        } else if (message instanceof ShareValue share) {
            format.shared().put(received(share, reader));
            return false;
        } else if (message instanceof ShareFile share) {
            // Mapped here, before the next frame: the definitions that hold it are decoded by the reader.
            format.shared().put(SharedValue.mapped(share.id(), Path.of(share.path()), share.element(),
                    share.length()));
            return false;
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
            inbox.add(new Computer.Released(released));
        } else {
            if (message instanceof Forget forget) {
                for (long key : forget.keys()) {
                    format.forget(key);
                }
            }
            inbox.add(message);
        }
        return true;
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
            halt(WorkerExit.CHANNEL_CLOSED);
            return false;
        }
    }
}
