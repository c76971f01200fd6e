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
import dev.procpool.spi.LaunchedWorker;
import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The pool's end of one worker: the framing on its stdin and stdout, its stderr, and the state of the connection
 * (starting, ready, dead), which only this class changes. It knows nothing of how the worker was started: a
 * {@link LaunchedWorker} hands it the streams and a handle that can be watched and killed.
 *
 * <p>Threading: its reader thread ({@code procpool-worker-N-stdout}) reads every frame and reports to
 * {@link WorkerEvents}; its stderr pump forwards log lines. {@link #send} and {@link #flush} belong to one writer
 * thread at a time (the dispatcher while the pool runs, the closing thread after); {@link #closeInput} and
 * {@link #kill} may be called from any thread.
 */
final class WorkerConnection {

    /** How long a worker whose stdout has ended gets to report its exit status before it is killed. */
    private static final long EXIT_WAIT_MILLIS = 1_000;
    private static final long STDERR_WAIT_MILLIS = 500;

    private final int id;
    private final LaunchedWorker process;
    private final WireFormat format;
    private final int maxFrameBytes;
    private final WorkerEvents events;
    private final FrameWriter writer;
    private final StderrPump stderr;
    private final Thread reader;
    private final Object stateLock = new Object();
    private ConnectionState state = ConnectionState.STARTING;
    /** The pid the worker reported in its handshake; until then, the launcher's. */
    private volatile long pid;
    private volatile String problem;

    private WorkerConnection(int id, LaunchedWorker process, WireFormat format, int maxFrameBytes,
            WorkerOutput output, WorkerEvents events) {
        this.id = id;
        this.process = process;
        this.format = format;
        this.maxFrameBytes = maxFrameBytes;
        this.events = events;
        this.pid = process.pid();
        this.writer = new FrameWriter(process.stdin(), format, maxFrameBytes);
        this.stderr = new StderrPump(id, process.stderr(), output);
        this.reader = new Thread(this::readLoop, "procpool-worker-" + id + "-stdout");
        this.reader.setDaemon(true);
    }

    /** Starts reading a launched worker's output; events arrive from then on. */
    static WorkerConnection open(int id, LaunchedWorker process, int maxFrameBytes, WireFormat format,
            WorkerOutput output, WorkerEvents events) {
        WorkerConnection worker = new WorkerConnection(id, process, format, maxFrameBytes, output, events);
        worker.stderr.start();
        worker.reader.start();
        return worker;
    }

    int id() {
        return id;
    }

    long pid() {
        return pid;
    }

    /** {@code worker 3 (pid 4711)}, with the host for a worker elsewhere: how messages name this worker. */
    String describe() {
        String host = process.host();
        return "worker " + id + " (pid " + pid + ("localhost".equals(host) ? "" : " on " + host) + ")";
    }

    ConnectionState state() {
        synchronized (stateLock) {
            return state;
        }
    }

    private boolean moveTo(ConnectionState next) {
        synchronized (stateLock) {
            if (!state.canMoveTo(next)) {
                return false;
            }
            state = next;
            return true;
        }
    }

    /** Buffers one message for the worker. */
    void send(Message message) throws EncodingException, IOException {
        writer.write(message);
    }

    /** Sends what is buffered. */
    void flush() throws IOException {
        writer.flush();
    }

    /** Tells the worker to exit (status 0); a worker that cannot be told is on its way out anyway. */
    void askToShutDown() {
        try {
            writer.write(Shutdown.INSTANCE);
            writer.flush();
        } catch (IOException | EncodingException e) {
            // Its stdin is broken: it is exiting, and closing its stdin ends it too.
        }
    }

    /** Closes the worker's stdin: a worker halts when its input ends. Safe to repeat. */
    void closeInput() {
        try {
            writer.close();
        } catch (IOException e) {
            // Already broken: the worker is on its way out either way.
        }
    }

    /** Records why the worker is being killed (for its end report), then kills it. */
    void kill(String reason) {
        if (problem == null) {
            problem = reason;
        }
        process.kill();
    }

    /** Whether the process is still running. */
    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits up to {@code millis} for the process to end; returns whether it has. */
    boolean awaitExit(long millis) throws InterruptedException {
        return exitStatus(millis).isPresent();
    }

    /** Waits up to {@code millis} for the reader thread, which reports the end, to finish; returns whether it has. */
    boolean awaitReported(long millis) throws InterruptedException {
        reader.join(millis);
        return !reader.isAlive();
    }

    /** The last lines the worker wrote to stderr. */
    List<String> stderrTail() {
        return stderr.tail();
    }

    private void readLoop() {
        boolean wasReady = false;
        FrameReader frames = new FrameReader(process.stdout(), format, maxFrameBytes);
        try {
            Handshake handshake = frames.readHandshake();
            if (!handshake.matches(format.fingerprint())) {
                kill(mismatch(handshake));
            } else if (moveTo(ConnectionState.READY)) {
                pid = handshake.pid();
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
            // An Error too (no memory for a frame, a bug in handling one): the worker must still end and give back
            // its tasks, so whoever waits for them hears; the Error then goes on to the thread's handler.
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
            status = exitStatus(EXIT_WAIT_MILLIS);
            if (status.isEmpty()) {
                // Its stdout ended but it lives on: it cannot talk to us any more, so it must go.
                kill("closed its stdout but kept running");
                status = exitStatus(EXIT_WAIT_MILLIS);
            }
            stderr.awaitEnd(STDERR_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        moveTo(ConnectionState.DEAD);
        String reason = problem != null ? problem
                : status.isPresent() ? WorkerEnd.describeStatus(status.getAsInt())
                : "ended";
        return new WorkerEnd(status, reason, wasReady, stderr.tail());
    }

    /** The exit status, waiting up to {@code millis} for it; empty if the process is still running. */
    private OptionalInt exitStatus(long millis) throws InterruptedException {
        try {
            return OptionalInt.of(process.onExit().get(millis, TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return OptionalInt.empty();
        } catch (ExecutionException e) {
            return OptionalInt.empty();
        }
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
