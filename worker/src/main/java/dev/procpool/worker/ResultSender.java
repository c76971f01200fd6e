package dev.procpool.worker;

import dev.procpool.protocol.EncodingException;
import dev.procpool.protocol.FrameWriter;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.RemoteError;
import dev.procpool.protocol.TaskFailure;
import dev.procpool.protocol.TaskResult;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * Sends a worker's answers, batching them without holding any back for long. Thread-safe: the compute thread
 * sends, and a daemon flusher thread ({@code procpool-worker-flusher}) flushes what has waited
 * {@link #MAX_DELAY_NANOS}.
 *
 * <p>An answer is flushed at once when no more work is queued; while work is queued, answers collect into one
 * write, but never for more than a millisecond. Without that bound, a task that hangs after a quick one would
 * hold the quick one's result hostage, and the coordinator would time out, or blame for a crash, the wrong task.
 */
final class ResultSender {

    static final long MAX_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final FrameWriter writer;
    private final IntConsumer halt;
    private final PrintStream log;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition buffered = lock.newCondition();
    /** When the oldest unflushed answer was written; -1 when nothing waits. Guarded by {@code lock}. */
    private long waitingSince = -1;

    ResultSender(FrameWriter writer, IntConsumer halt, PrintStream log) {
        this.writer = writer;
        this.halt = halt;
        this.log = log;
        Thread flusher = new Thread(this::flushLoop, "procpool-worker-flusher");
        flusher.setDaemon(true);
        flusher.start();
    }

    /**
     * Writes one answer; flushes now unless {@code moreQueued}, in which case it goes with the next batch.
     *
     * @throws IOException if the coordinator can no longer be written to
     */
    void send(Message answer, boolean moreQueued) throws IOException {
        lock.lock();
        try {
            write(answer);
            if (!moreQueued) {
                flushLocked();
            } else if (waitingSince < 0) {
                waitingSince = System.nanoTime();
                buffered.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Flushes everything written so far. */
    void flush() throws IOException {
        lock.lock();
        try {
            flushLocked();
        } finally {
            lock.unlock();
        }
    }

    private void write(Message answer) throws IOException {
        try {
            writer.write(answer);
        } catch (EncodingException e) {
            // The task's result cannot travel: tell the coordinator why, in its place.
            long taskId = answer instanceof TaskResult result ? result.taskId() : ((TaskFailure) answer).taskId();
            try {
                writer.write(new TaskFailure(taskId, RemoteError.of(e)));
            } catch (EncodingException again) {
                throw new IOException("cannot encode even the failure of task " + taskId, again);
            }
        }
    }

    private void flushLocked() throws IOException {
        waitingSince = -1;
        writer.flush();
    }

    private void flushLoop() {
        lock.lock();
        try {
            while (true) {
                if (waitingSince < 0) {
                    buffered.await(1, TimeUnit.SECONDS);
                    continue;
                }
                long wait = waitingSince + MAX_DELAY_NANOS - System.nanoTime();
                if (wait > 0) {
                    buffered.awaitNanos(wait);
                } else {
                    flushLocked();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.println("procpool worker: cannot write to the coordinator (" + e.getMessage() + "); exiting");
            halt.accept(WorkerExit.CHANNEL_CLOSED);
        } finally {
            lock.unlock();
        }
    }
}
