package dev.procpool.worker;

import dev.procpool.measure.TaskUsage;
import dev.procpool.protocol.BatchBudget;
import dev.procpool.protocol.EncodingException;
import dev.procpool.protocol.FrameWriter;
import dev.procpool.protocol.Heartbeat;
import dev.procpool.protocol.RemoteError;
import dev.procpool.protocol.RemoteFrame;
import dev.procpool.protocol.ResultBatch;
import dev.procpool.protocol.TaskFailure;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * Sends a worker's answers, batching results without holding any back for long. Thread-safe: the compute
 * thread adds answers, and a daemon flusher thread ({@code procpool-worker-flusher}) sends what has waited
 * {@link #MAX_DELAY_NANOS}.
 *
 * <p>Results collect into one {@link ResultBatch} frame while more work is queued, and go out at once when none
 * is. The delay bound matters: without it, a task that hangs after a quick one would hold the quick one's result
 * hostage, and the coordinator would time out, or blame for a crash, the wrong task. A frame holds at most
 * {@link #MAX_BATCH} results, and no more than its {@link BatchBudget} allows on a link that needs small frames.
 */
final class ResultSender {

    static final long MAX_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Results per frame at most, so one frame never grows without bound. */
    private static final int MAX_BATCH = 4096;

    private final FrameWriter writer;
    private final BatchBudget budget;
    private final long maxDelayNanos;
    private final IntConsumer halt;
    private final PrintStream log;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition buffered = lock.newCondition();
    /** The sequence of the last heartbeat answered, 0 before any; guarded by {@code lock}. */
    private long answered;
    // Results not yet encoded, guarded by lock.
    private long[] ids = new long[64];
    private Object[] values = new Object[64];
    private int count;
    private long busyNanos;
    private long cpuNanos;
    private long readyNanos;
    private long sampledNanos;
    /** When the oldest unsent answer was added; -1 when nothing waits. Guarded by {@code lock}. */
    private long waitingSince = -1;

    ResultSender(FrameWriter writer, BatchBudget budget, IntConsumer halt, PrintStream log) {
        this(writer, budget, MAX_DELAY_NANOS, halt, log);
    }

    /**
     * @param budget how many results a batch frame may hold, besides {@link #MAX_BATCH}
     * @param maxDelayNanos how long an answer may wait for the next one (tests make it long)
     */
    ResultSender(FrameWriter writer, BatchBudget budget, long maxDelayNanos, IntConsumer halt, PrintStream log) {
        this.writer = writer;
        this.budget = budget;
        this.maxDelayNanos = maxDelayNanos;
        this.halt = halt;
        this.log = log;
        Thread flusher = new Thread(this::flushLoop, "procpool-worker-flusher");
        flusher.setDaemon(true);
        flusher.start();
    }

    /**
     * Adds what the computer's thread used over a stretch of tasks: it goes with the next results sent, so call it
     * before adding the stretch's last answer.
     */
    void spent(TaskUsage stretch) {
        lock.lock();
        try {
            cpuNanos += stretch.cpuNanos();
            readyNanos += stretch.readyNanos();
            sampledNanos += stretch.wallNanos();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds a task's result, computed in {@code nanos}; sends now unless {@code moreQueued}.
     *
     * @throws IOException if the coordinator can no longer be written to
     */
    void result(long id, Object value, long nanos, boolean moreQueued) throws IOException {
        lock.lock();
        try {
            if (count == ids.length) {
                ids = Arrays.copyOf(ids, count * 2);
                values = Arrays.copyOf(values, count * 2);
            }
            ids[count] = id;
            values[count] = value;
            count++;
            busyNanos += nanos;
            if (count >= budget.items(MAX_BATCH)) {
                encodeResults();
            }
            settle(moreQueued);
        } finally {
            lock.unlock();
        }
    }

    /** Adds a task's failure; sends now unless {@code moreQueued}. */
    void failure(TaskFailure failure, boolean moreQueued) throws IOException {
        lock.lock();
        try {
            encodeResults(); // keeps answers in the order they were computed
            write(failure);
            settle(moreQueued);
        } finally {
            lock.unlock();
        }
    }

    /** Answers a heartbeat at once, with everything added so far. */
    void heartbeat(Heartbeat heartbeat) throws IOException {
        lock.lock();
        try {
            writer.write(heartbeat);
            answered = heartbeat.sequence();
            flushLocked();
        } catch (EncodingException e) {
            throw new IOException("cannot encode a heartbeat", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends everything added so far, then what this process has used, as a last answer to the last heartbeat
     * answered: a worker told to shut down says it once more on its way out, since a coordinator on another machine
     * learns it only so (heartbeats come once a second).
     */
    void flushWithUsage() throws IOException {
        lock.lock();
        try {
            encodeResults();
            writer.write(Usage.answer(Heartbeat.asking(answered)));
            flushLocked();
        } catch (EncodingException e) {
            throw new IOException("cannot encode the last results or the usage report", e);
        } finally {
            lock.unlock();
        }
    }

    /** Sends everything added so far. */
    void flush() throws IOException {
        lock.lock();
        try {
            flushLocked();
        } finally {
            lock.unlock();
        }
    }

    private void settle(boolean moreQueued) throws IOException {
        if (!moreQueued) {
            flushLocked();
        } else if (waitingSince < 0) {
            waitingSince = System.nanoTime();
            buffered.signal();
        }
    }

    private void flushLocked() throws IOException {
        encodeResults();
        waitingSince = -1;
        writer.flush();
    }

    private void encodeResults() throws IOException {
        if (count == 0) {
            return;
        }
        ResultBatch batch = new ResultBatch(Arrays.copyOf(ids, count), Arrays.copyOf(values, count), busyNanos,
                cpuNanos, readyNanos, sampledNanos);
        Arrays.fill(values, 0, count, null);
        count = 0;
        busyNanos = 0;
        cpuNanos = 0;
        readyNanos = 0;
        sampledNanos = 0;
        writeWithinBudget(batch);
    }

    /**
     * Writes the batch in frames within the budget (see {@link BatchBudget#write}); each part takes the share of the
     * batch's busy, CPU, ready and sampled time that its results are of the batch, so nothing is lost or added.
     */
    private void writeWithinBudget(ResultBatch batch) throws IOException {
        budget.write(batch.size(), new BatchBudget.Batches() {
            @Override
            public int write(int from, int to, int frameLimit) throws EncodingException, IOException {
                return writer.writeWithin(part(from, to), frameLimit);
            }

            @Override
            public void writeOneByOne(int from, int to) throws IOException {
                ResultSender.this.writeOneByOne(part(from, to));
            }

            private ResultBatch part(int from, int to) {
                if (from == 0 && to == batch.size()) {
                    return batch;
                }
                return new ResultBatch(Arrays.copyOfRange(batch.ids(), from, to),
                        Arrays.copyOfRange(batch.values(), from, to), share(batch.busyNanos(), from, to),
                        share(batch.cpuNanos(), from, to), share(batch.readyNanos(), from, to),
                        share(batch.sampledNanos(), from, to));
            }

            /** The part of {@code total} that results {@code [from, to)} take: the parts add up to it exactly. */
            private long share(long total, int from, int to) {
                return total * to / batch.size() - total * from / batch.size();
            }
        });
    }

    /**
     * Some result of the batch cannot travel: sends the others, and in its place why it cannot. Each result sent keeps
     * its share of the batch's busy time: the coordinator sizes its windows from busy time per result, so the time
     * must be neither lost nor piled on one result. The CPU and ready time go with the first one sent.
     */
    private void writeOneByOne(ResultBatch batch) throws IOException {
        long share = batch.busyNanos() / batch.size();
        long remainder = batch.busyNanos() % batch.size();
        long cpu = batch.cpuNanos();
        long ready = batch.readyNanos();
        long sampled = batch.sampledNanos();
        for (int i = 0; i < batch.size(); i++) {
            try {
                writer.write(new ResultBatch(new long[] {batch.ids()[i]}, new Object[] {batch.values()[i]},
                        share + (i == 0 ? remainder : 0), cpu, ready, sampled));
                cpu = 0;
                ready = 0;
                sampled = 0;
            } catch (EncodingException again) {
                // The message says what cannot travel; the encoder's frames are ours, not the task's, and say
                // nothing a user can act on.
                Object value = batch.values()[i];
                RemoteError what = new RemoteError(value.getClass().getName(), again.getMessage(),
                        new RemoteFrame[0], null);
                write(again.tooLarge()
                        ? new TaskFailure(batch.ids()[i], TaskFailure.Kind.RESULT_TOO_LARGE, what, again.bytes())
                        : new TaskFailure(batch.ids()[i], TaskFailure.Kind.RESULT_NOT_SENDABLE, what));
            }
        }
    }

    private void write(TaskFailure failure) throws IOException {
        try {
            writer.write(failure);
        } catch (EncodingException e) {
            throw new IOException("cannot encode even the failure of task " + failure.taskId(), e);
        }
    }

    private void flushLoop() {
        lock.lock();
        try {
            while (true) {
                if (waitingSince < 0) {
                    buffered.await(1, TimeUnit.SECONDS);
                    continue;
                }
                long wait = waitingSince + maxDelayNanos - System.nanoTime();
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
