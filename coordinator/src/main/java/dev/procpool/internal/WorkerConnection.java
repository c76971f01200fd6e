package dev.procpool.internal;

import dev.procpool.WorkerInfo;
import dev.procpool.WorkerOutput;
import dev.procpool.protocol.FrameReader;
import dev.procpool.protocol.Handshake;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.OneLine;
import dev.procpool.protocol.ProtocolException;
import dev.procpool.protocol.WireFormat;
import dev.procpool.spi.LaunchedWorker;
import dev.procpool.spi.WorkerLauncher;
import dev.procpool.protocol.Heartbeat;
import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The pool's connection to one worker, and the connection's state (starting, ready, dead), which only this class
 * changes: it reads the worker's stdout (the handshake, then frames, reported to {@link WorkerEvents}) until it ends,
 * and then reports how the worker ended, once. Its parts: who the worker is ({@link WorkerIdentity}), the writing end
 * ({@link WorkerInput}), the stderr pump ({@link StderrPump}), what the worker reported of its process
 * ({@link WorkerUsage}), and whether it still answers ({@link Liveness}). It knows nothing of how the worker was
 * started: a {@link LaunchedWorker} hands it the streams and a handle that can be watched and killed.
 *
 * <p>Threading: its reader thread ({@code procpool-worker-N-stdout}) reads every frame and reports the end;
 * {@link #kill} may be called from any thread; see {@link WorkerInput} for the writers.
 */
final class WorkerConnection {

    /** How long a worker whose stdout has ended gets to report its exit status before it is killed. */
    private static final long EXIT_WAIT_MILLIS = 1_000;
    private static final long STDERR_WAIT_MILLIS = 500;

    private final WorkerIdentity identity;
    private final LaunchedWorker process;
    private final WireFormat format;
    private final int maxFrameBytes;
    private final WorkerEvents events;
    private final WorkerInput input;
    private final StderrPump stderr;
    private final Thread reader;
    private final Object stateLock = new Object();
    private ConnectionState state = ConnectionState.STARTING;
    private final Liveness liveness;
    private final WorkerUsage usage = new WorkerUsage();
    /** Whether its end has been reported: by the reader thread, or by the exit watch if its output stays open. */
    private final AtomicBoolean endReported = new AtomicBoolean();
    private volatile boolean wasReady;
    private volatile String problem;

    private WorkerConnection(int id, LaunchedWorker process, WireFormat format, int maxFrameBytes,
            WorkerOutput output, WorkerEvents events, Ticker ticker) {
        this.identity = new WorkerIdentity(id, process);
        this.liveness = new Liveness(ticker);
        this.process = process;
        this.format = format;
        this.maxFrameBytes = maxFrameBytes;
        this.events = events;
        this.input = new WorkerInput(id, process.stdin(), format, maxFrameBytes, liveness);
        this.stderr = new StderrPump(id, process.stderr(), output);
        this.reader = new Thread(this::readLoop, "procpool-worker-" + id + "-stdout");
        this.reader.setDaemon(true);
    }

    /**
     * Starts reading a launched worker's output, and watching its process; events arrive from then on. If the process
     * ends while its output stays open (a process it started holds it), the end is reported all the same, a moment
     * after.
     */
    static WorkerConnection open(int id, LaunchedWorker process, int maxFrameBytes, WireFormat format,
            WorkerOutput output, WorkerEvents events, Ticker ticker) {
        WorkerConnection worker = new WorkerConnection(id, process, format, maxFrameBytes, output, events, ticker);
        worker.stderr.start();
        worker.reader.start();
        process.onExit().whenCompleteAsync((status, error) -> worker.endIfOutputStaysOpen(),
                CompletableFuture.delayedExecutor(EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS));
        return worker;
    }

    int id() {
        return identity.id();
    }

    long pid() {
        return identity.pid();
    }

    /** {@code worker 3 (pid 4711)}, with the host for a worker elsewhere: how messages name this worker. */
    String describe() {
        return identity.describe();
    }

    /** Where the worker runs. */
    String host() {
        return identity.host();
    }

    /** The writing end: frames to the worker's stdin. */
    WorkerInput input() {
        return input;
    }

    /** What the worker reported of its process. */
    WorkerUsage usage() {
        return usage;
    }

    /**
     * Waits until the worker has answered heartbeat {@code sequence} (or a later one), until {@code deadline}
     * ({@link System#nanoTime()}), or until it is dead; returns whether it has answered.
     */
    boolean awaitReport(long sequence, long deadline) throws InterruptedException {
        return usage.awaitReport(sequence, deadline, () -> state() == ConnectionState.DEAD);
    }

    /** The worker as it stands, for users. */
    WorkerInfo info() {
        Heartbeat report = usage.last();
        return new WorkerInfo(identity.id(), identity.host(), identity.pid(), identity.launchTime(), report.cpuNanos(),
                report.residentBytes(), usage.peakResidentBytes(), input.bytesSent());
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

    Liveness liveness() {
        return liveness;
    }

    /** Tells the launcher that this worker ended before its handshake, and why. */
    void failedToStart(WorkerLauncher launcher, String reason) {
        String line = String.join(" ", reason.lines().map(String::strip).toList());
        spi("failedToStart", () -> launcher.failedToStart(process, line));
    }

    /** Lets the launcher note the processes the worker started (see {@link LaunchedWorker#recordDescendants()}). */
    void recordDescendants() {
        spi("recordDescendants", process::recordDescendants);
    }

    /**
     * Calls the launcher's code, which the pool does not control, on a pool thread: what it throws becomes a notice,
     * so the thread (a reader, a watch) carries on.
     */
    private void spi(String call, Runnable code) {
        try {
            code.run();
        } catch (RuntimeException e) {
            events.notice("the launcher's " + call + " for " + describe() + " threw " + OneLine.of(e));
        }
    }

    /** Records why the worker is being killed (for its end report), then kills it. */
    void kill(String reason) {
        if (problem == null) {
            problem = reason;
        }
        try {
            process.kill();
        } catch (RuntimeException e) {
            events.notice("could not kill " + describe() + " (" + reason + "): " + OneLine.of(e));
        }
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
        FrameReader frames = new FrameReader(process.stdout(), format, maxFrameBytes);
        frames.watchForAnswers(this::oldestOwedAnswer);
        try {
            Handshake handshake = frames.readHandshake();
            if (!handshake.matches(format.fingerprint())) {
                kill(FailureReports.handshakeMismatch(handshake, format.fingerprint()));
            } else if (moveTo(ConnectionState.READY)) {
                identity.identified(handshake);
                spi("identified", () -> process.identified(handshake.pid(), handshake.host()));
                wasReady = true;
                liveness.heard();
                liveness.handling();
                events.ready(this);
                liveness.handled();
                Message message;
                while ((message = frames.read()) != null) {
                    liveness.heard();
                    liveness.handling();
                    events.message(this, message);
                    liveness.handled();
                }
            }
        } catch (EOFException e) {
            // Ended before its handshake: the exit status and stderr say why.
        } catch (ProtocolException e) {
            kill("had garbage on its protocol stream: " + e.getMessage());
        } catch (IOException e) {
            kill("its stdout failed: " + e.getMessage());
        } catch (RuntimeException | Error e) {
            // An Error too (no memory for a frame, a bug in handling one): the worker must still end and give back
            // its tasks, so whoever waits for them hears; the Error then goes on to the thread's handler.
            kill("its output could not be handled: " + e);
            if (e instanceof Error error) {
                reportEnd(null);
                throw error;
            }
        }
        reportEnd(null);
    }

    /** The oldest heartbeat sent to the worker that it has not answered, 0 if none. */
    private long oldestOwedAnswer() {
        long answered = usage.last().sequence();
        return input.lastHeartbeatSent() > answered ? answered + 1 : 0;
    }

    /**
     * The exit watch: the process ended a while ago and its output has still not ended, so something else holds it
     * open (a process the worker started, which inherited it). Its end is reported now; the reader thread, whenever
     * its read returns, reports nothing more.
     */
    private void endIfOutputStaysOpen() {
        if (endReported.get() || !reader.isAlive()) {
            return;
        }
        if (liveness.isHandling()) {
            // The reader is not stuck in a read but busy with a frame (sending to other workers, say): it will read
            // again, find the output's end and report it. Look again later in case it does not.
            CompletableFuture.delayedExecutor(EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS)
                    .execute(this::endIfOutputStaysOpen);
            return;
        }
        reportEnd(", but its output stayed open (a process it started may still hold it)");
    }

    /** Reports the end once, whoever notices it first; {@code note} is added to an exit status's words, if any. */
    private void reportEnd(String note) {
        if (endReported.compareAndSet(false, true)) {
            events.outputEnded(this);
            events.ended(this, awaitEnd(note == null ? "" : note));
        }
    }

    private WorkerEnd awaitEnd(String note) {
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
                : status.isPresent() ? describeStatus(status.getAsInt()) + note
                : "ended" + note;
        return new WorkerEnd(status, reason, wasReady, stderr.tail());
    }

    /** Words for the exit status: the launcher's, if it has any for it, else the pool's. */
    private String describeStatus(int status) {
        try {
            return process.describeExit(status).orElseGet(() -> WorkerEnd.describeStatus(status));
        } catch (RuntimeException e) {
            events.notice("the launcher's describeExit for " + describe() + " threw " + OneLine.of(e));
            return WorkerEnd.describeStatus(status);
        }
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
}
