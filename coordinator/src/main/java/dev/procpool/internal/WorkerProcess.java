package dev.procpool.internal;

import dev.procpool.WorkerOutput;
import dev.procpool.protocol.EncodingException;
import dev.procpool.protocol.FrameReader;
import dev.procpool.protocol.FrameWriter;
import dev.procpool.protocol.Handshake;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.Protocol;
import dev.procpool.protocol.ProtocolException;
import dev.procpool.protocol.Shutdown;
import dev.procpool.protocol.WireFormat;
import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * One worker JVM and its three streams: it owns the process, the framing on its stdin and stdout, and its
 * state. Its reader thread ({@code procpool-worker-N-stdout}) reads every frame and reports to
 * {@link WorkerEvents}; its stderr pump forwards log lines.
 *
 * <p>Threading: {@link #send} and {@link #flush} belong to one writer thread at a time (the dispatcher while
 * the pool runs, the closing thread after); {@link #closeInput} and {@link #kill} may be called from any thread.
 */
public final class WorkerProcess {

    /** How long a worker whose stdout has ended gets to report its exit status before it is killed. */
    private static final long EXIT_WAIT_MILLIS = 1_000;
    private static final long STDERR_WAIT_MILLIS = 500;

    private final int id;
    private final Process process;
    private final WireFormat format;
    private final int maxFrameBytes;
    private final WorkerEvents events;
    private final FrameWriter writer;
    private final StderrPump stderr;
    private final Thread reader;
    private final Object stateLock = new Object();
    private WorkerState state = WorkerState.STARTING;
    private volatile String problem;

    private WorkerProcess(int id, Process process, WireFormat format, int maxFrameBytes, WorkerOutput output,
            WorkerEvents events) {
        this.id = id;
        this.process = process;
        this.format = format;
        this.maxFrameBytes = maxFrameBytes;
        this.events = events;
        this.writer = new FrameWriter(process.getOutputStream(), format, maxFrameBytes);
        this.stderr = new StderrPump(id, process.getErrorStream(), output);
        this.reader = new Thread(this::readLoop, "procpool-worker-" + id + "-stdout");
        this.reader.setDaemon(true);
    }

    /** Launches worker {@code id} and starts reading its output; events arrive from then on. */
    public static WorkerProcess start(int id, WorkerCommand command, WorkerLauncher launcher, WireFormat format,
            WorkerOutput output, WorkerEvents events) throws IOException {
        return attach(id, launcher.launch(command.toList(id)), command.maxFrameBytes(), format, output, events);
    }

    /**
     * Starts reading the output of an already launched worker process; events arrive from then on. Lets a pool
     * launch its JVMs first and prepare its side of the channel while they boot.
     */
    public static WorkerProcess attach(int id, Process process, int maxFrameBytes, WireFormat format,
            WorkerOutput output, WorkerEvents events) {
        WorkerProcess worker = new WorkerProcess(id, process, format, maxFrameBytes, output, events);
        worker.stderr.start();
        worker.reader.start();
        return worker;
    }

    public int id() {
        return id;
    }

    public long pid() {
        return process.pid();
    }

    /** {@code worker 3 (pid 4711)}: how messages name this worker. */
    public String describe() {
        return "worker " + id + " (pid " + process.pid() + ")";
    }

    public WorkerState state() {
        synchronized (stateLock) {
            return state;
        }
    }

    /**
     * Moves to {@code next} if the state machine allows it from the current state; returns whether it moved.
     * Every state change of a worker goes through here.
     */
    public boolean transition(WorkerState next) {
        synchronized (stateLock) {
            if (!state.canMoveTo(next)) {
                return false;
            }
            state = next;
            return true;
        }
    }

    /** Buffers one message for the worker. */
    public void send(Message message) throws EncodingException, IOException {
        writer.write(message);
    }

    /** Sends what is buffered. */
    public void flush() throws IOException {
        writer.flush();
    }

    /** Tells the worker to exit (status 0); a worker that cannot be told is on its way out anyway. */
    public void askToShutDown() {
        try {
            writer.write(Shutdown.INSTANCE);
            writer.flush();
        } catch (IOException | EncodingException e) {
            // Its stdin is broken: it is exiting, and closing its stdin ends it too.
        }
    }

    /** Closes the worker's stdin: a worker halts when its input ends. Safe to repeat. */
    public void closeInput() {
        try {
            writer.close();
        } catch (IOException e) {
            // Already broken: the worker is on its way out either way.
        }
    }

    /** Records why the worker is being killed (for its end report), then kills it. */
    public void kill(String reason) {
        if (problem == null) {
            problem = reason;
        }
        process.destroyForcibly();
    }

    /** Whether the process is still running (a zombie counts as running until reaped). */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits up to {@code millis} for the process to end; returns whether it has. */
    public boolean awaitExit(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    /** Waits up to {@code millis} for the reader thread, which reports the end, to finish; returns whether it has. */
    public boolean awaitReported(long millis) throws InterruptedException {
        reader.join(millis);
        return !reader.isAlive();
    }

    /** The last lines the worker wrote to stderr. */
    public List<String> stderrTail() {
        return stderr.tail();
    }

    private void readLoop() {
        boolean wasReady = false;
        FrameReader frames = new FrameReader(process.getInputStream(), format, maxFrameBytes);
        try {
            Handshake handshake = frames.readHandshake();
            if (!handshake.matches(format.fingerprint())) {
                kill(mismatch(handshake));
            } else if (transition(WorkerState.READY)) {
                wasReady = true;
                events.ready(this);
                Message message;
                while ((message = frames.read()) != null) {
                    events.message(this, message);
                }
            }
        } catch (EOFException e) {
            // Ended before its handshake: the exit status and stderr say why.
        } catch (ProtocolException e) {
            kill("broke the protocol: " + e.getMessage());
        } catch (IOException e) {
            kill("its stdout failed: " + e.getMessage());
        } catch (RuntimeException | Error e) {
            // An Error too (a callback's, or no memory for a frame): the worker must still end and give back its
            // tasks, so whoever waits for them hears; the Error then goes on to the thread's handler.
            kill("its output could not be handled: " + e);
            if (e instanceof Error error) {
                events.ended(this, awaitEnd(wasReady));
                throw error;
            }
        }
        events.ended(this, awaitEnd(wasReady));
    }

    private WorkerEnd awaitEnd(boolean wasReady) {
        OptionalInt status = OptionalInt.empty();
        try {
            if (!process.waitFor(EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                // Its stdout ended but it lives on: it cannot talk to us any more, so it must go.
                kill("closed its stdout but kept running");
                process.waitFor(EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            }
            if (!process.isAlive()) {
                status = OptionalInt.of(process.exitValue());
            }
            stderr.awaitEnd(STDERR_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        transition(WorkerState.DEAD);
        String reason = problem != null ? problem
                : status.isPresent() ? WorkerEnd.describeStatus(status.getAsInt())
                : "ended";
        return new WorkerEnd(status, reason, wasReady, stderr.tail());
    }

    private String mismatch(Handshake handshake) {
        if (handshake.protocolVersion() != Protocol.VERSION) {
            return "speaks protocol version " + handshake.protocolVersion() + ", this coordinator "
                    + Protocol.VERSION + ": its jar is from another build; rebuild both jars";
        }
        return "registers different wire types (fingerprint " + Long.toHexString(handshake.registrationFingerprint())
                + ", this coordinator " + Long.toHexString(format.fingerprint()) + "): its jar is from another "
                + "build or has other jobs on its class path; rebuild both jars and give both the same class path";
    }
}
