package dev.procpool.internal;

import dev.procpool.protocol.EncodingException;
import dev.procpool.protocol.FrameWriter;
import dev.procpool.protocol.Heartbeat;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.Shutdown;
import dev.procpool.protocol.WireFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pool's writing end of one worker: frames onto its stdin, and what has been written. Each write tells the
 * worker's {@link Liveness}, so a write that blocks (a worker that stopped reading) is seen.
 *
 * <p>Threading: one writer at a time, under a lock ({@link #send} and {@link #flush} belong to the dispatcher's
 * sending thread while the pool runs, to the closing thread after); a heartbeat is written only when no other write is
 * in progress; {@link #close} may be called from any thread, even during a write.
 */
final class WorkerInput {

    private final int workerId;
    private final OutputStream stdin;
    private final FrameWriter writer;
    private final Liveness liveness;
    /** One writer at a time; heartbeats take it only when it is free. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private final LongAdder bytesSent = new LongAdder();
    /** The sequence of the last heartbeat sent (or about to be), 0 before the first. */
    private volatile long lastHeartbeatSent;

    WorkerInput(int workerId, OutputStream stdin, WireFormat format, int maxFrameBytes, Liveness liveness) {
        this.workerId = workerId;
        this.stdin = stdin;
        this.writer = new FrameWriter(new CountingOutput(stdin, bytesSent), format, maxFrameBytes);
        this.liveness = liveness;
    }

    /** The sequence of the last heartbeat sent to the worker, 0 before the first. */
    long lastHeartbeatSent() {
        return lastHeartbeatSent;
    }

    /** What has been written to the worker's stdin, in bytes. */
    long bytesSent() {
        return bytesSent.sum();
    }

    /** Buffers one message for the worker (a large one goes out as it is written). */
    void send(Message message) throws EncodingException, IOException {
        send(message, Integer.MAX_VALUE);
    }

    /**
     * Buffers a message for the worker if its frame takes at most {@code frameBytes} (see
     * {@link FrameWriter#writeWithin}); returns its payload's size, or -1 having buffered nothing.
     */
    int send(Message message, int frameBytes) throws EncodingException, IOException {
        writeLock.lock();
        try {
            liveness.writing();
            return writer.writeWithin(message, frameBytes);
        } finally {
            liveness.written();
            writeLock.unlock();
        }
    }

    /** Sends what is buffered. */
    void flush() throws IOException {
        writeLock.lock();
        try {
            liveness.writing();
            writer.flush();
        } finally {
            liveness.written();
            writeLock.unlock();
        }
    }

    /**
     * Sends a heartbeat from a virtual thread of its own, so that a worker whose input is full holds up nothing but
     * that thread (the watch then sees the write stuck). Sent only if no other write is in progress: then the watch
     * sees whether that write moves.
     */
    void sendHeartbeat(long sequence) {
        liveness.heartbeatSending(); // now, so the next look does not send another
        lastHeartbeatSent = sequence;
        Thread.ofVirtual().name("procpool-worker-" + workerId + "-heartbeat").start(() -> writeHeartbeat(sequence));
    }

    private void writeHeartbeat(long sequence) {
        if (!writeLock.tryLock()) {
            liveness.heartbeatNotSent();
            return;
        }
        try {
            liveness.writing();
            writer.write(Heartbeat.asking(sequence));
            writer.flush();
        } catch (IOException | EncodingException e) {
            // Its stdin is broken: it is on its way out, and its reader will say so.
        } finally {
            liveness.written();
            writeLock.unlock();
        }
    }

    /** Tells the worker to exit (status 0); a worker that cannot be told is on its way out anyway. */
    void askToShutDown() {
        writeLock.lock();
        try {
            writer.write(Shutdown.INSTANCE);
            writer.flush();
        } catch (IOException | EncodingException e) {
            // Its stdin is broken: it is exiting, and closing its stdin ends it too.
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Closes the worker's stdin: a worker halts when its input ends. Safe to repeat. With a write in progress (the
     * pipe may be full, the worker stopped), the stream is closed under it without what is buffered, and this call
     * may wait until that write ends: killing the worker ends it.
     */
    void close() {
        try {
            if (writeLock.tryLock()) {
                try {
                    writer.close();
                } finally {
                    writeLock.unlock();
                }
            } else {
                stdin.close();
            }
        } catch (IOException e) {
            // Already broken: the worker is on its way out either way.
        }
    }
}
