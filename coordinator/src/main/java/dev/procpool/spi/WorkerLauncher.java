package dev.procpool.spi;

import java.io.IOException;

/**
 * Starts a pool's worker processes, wherever they run: here, on another host over SSH, as a cluster's job step.
 * The pool decides what to run ({@link WorkerCommand}); the launcher decides how and where, and hands back the
 * running worker's streams and a handle on it. Nothing else in the pool knows how a worker was started.
 *
 * <p>Implementations must be thread-safe: a pool launches its first workers together and replacements from other
 * threads.
 */
public interface WorkerLauncher extends AutoCloseable {

    /**
     * Gets ready to launch workers, before the first: a launcher that runs them elsewhere connects, checks what runs
     * them there, and copies their class path. Called once by every pool that uses this launcher, with the command
     * its workers run (but each worker's id); must be idempotent. By default nothing is needed.
     *
     * @throws IOException if no worker can be launched at all; the message says why
     */
    default void prepare(WorkerCommand template) throws IOException {
    }

    /**
     * Starts one worker and returns as soon as it is started; the pool then waits for its handshake.
     *
     * @throws IOException if it cannot be started; the message says why, in words a user can act on
     */
    LaunchedWorker launch(WorkerCommand command) throws IOException;

    /**
     * How many workers this launcher can run at once now: its hosts' slots, an allocation's tasks. A pool starts no
     * more than this, and does not replace a worker that would exceed it. By default there is no limit.
     */
    default int capacity() {
        return Integer.MAX_VALUE;
    }

    /**
     * The largest frame, in bytes, that the link between the pool and its workers carries in one message, for a
     * link that forwards the streams in small messages and holds each back until the one before it is acknowledged
     * (no {@code TCP_NODELAY}); 0, the default, for a link that streams freely. On such a link a message that ends no
     * frame leaves the receiver nothing to answer, so the next message waits for a delayed acknowledgement, tens of
     * milliseconds. The pool then keeps its batches of tasks, and the workers their batches of answers, within this
     * size, and lets each worker hold more tasks, so that answers keep flowing both ways.
     */
    default int batchFrameBytes() {
        return 0;
    }

    /**
     * The pool says that {@code worker}, which this launcher launched, ended before its handshake, and why (in one
     * line). A launcher of several hosts counts such failures per host, and stops using a host whose launches keep
     * failing (its capacity shrinks), saying so once. By default nothing is done.
     */
    default void failedToStart(LaunchedWorker worker, String reason) {
    }

    /**
     * Releases what the launcher holds for its workers (connections, allocations). Called once the pool's workers
     * have ended. Idempotent.
     */
    @Override
    default void close() {
    }

    /** Starts workers as child processes of this JVM, with their three streams piped to it. */
    static WorkerLauncher local() {
        return LocalLauncher.INSTANCE;
    }
}
