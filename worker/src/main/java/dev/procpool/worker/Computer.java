package dev.procpool.worker;

import dev.procpool.job.Job;
import dev.procpool.measure.TaskUsage;
import dev.procpool.measure.ThreadClock;
import dev.procpool.protocol.Forget;
import dev.procpool.protocol.RemoteError;
import dev.procpool.protocol.SharedValue;
import dev.procpool.protocol.Shutdown;
import dev.procpool.protocol.TaskBatch;
import dev.procpool.protocol.TaskFailure;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Queue;

/**
 * The computer's role of a worker (see {@link Worker}): takes what the reader queued, in order: keeps the books of
 * the jobs defined, lets go of shared values the coordinator closed, and computes task batches, handing each answer
 * to the {@link ResultSender}. Used by one thread at a time, whichever holds the role; the role's hand-over (see
 * {@link Roles}) makes what one holder wrote visible to the next, so it needs no lock.
 */
final class Computer {

    /** What the reader queues, in order: read here only to tell whether more work is waiting. */
    private final Queue<Object> inbox;
    private final PrintStream log;
    private final DefinedJobs jobs = new DefinedJobs();
    /**
     * How often a stretch of tasks is measured, at most: reading the thread's clocks costs microseconds (as much as a
     * tiny task's whole round trip), so a worker flooded with tiny batches measures one a millisecond, a sample that
     * costs it under 1%, while any batch that comes after a quiet moment, or takes longer, is measured.
     */
    private static final long MEASURE_EVERY_NANOS = 1_000_000;
    /**
     * When the last measured stretch began: as if a millisecond before the worker started, so its first is measured.
     * The computer's.
     */
    private long lastMeasured = System.nanoTime() - MEASURE_EVERY_NANOS;

    Computer(Queue<Object> inbox, PrintStream log) {
        this.inbox = inbox;
        this.log = log;
    }

    /**
     * Handles a queued message other than a task batch (see {@link #execute}); false if it says to shut down, once
     * every answer has been sent, and what the process used.
     */
    boolean handle(Object message, ResultSender sender) throws IOException {
        if (message instanceof Shutdown) {
            sender.flushWithUsage();
            return false;
        }
        if (message instanceof DefinedJobs.Defined defined) {
            jobs.add(defined);
        } else if (message instanceof Forget forget) {
            jobs.forget(forget.keys());
        } else if (message instanceof Released released) {
            released.values().forEach(SharedValue::release);
        } else {
            log.println("procpool worker: ignoring unexpected " + message.getClass().getSimpleName());
        }
        return true;
    }

    /**
     * Computes a batch's tasks in order on the calling thread, whose {@code clock} measures its CPU and ready time over
     * the whole batch, not per task, and at most once a millisecond (see {@link #MEASURE_EVERY_NANOS}).
     */
    void execute(TaskBatch batch, ResultSender sender, ThreadClock clock) throws IOException {
        DefinedJobs.Defined defined = jobs.get(batch.job());
        Job<?, ?> job = defined == null ? null : defined.job();
        RemoteError unavailable = job != null && !batch.skipped() ? null
                : defined != null && defined.unavailable() != null ? defined.unavailable()
                : RemoteError.of(new IllegalStateException("no job was defined under key " + batch.job()
                        + " before its tasks"));
        long[] ids = batch.ids();
        Object[] tasks = batch.tasks();
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
            // A task that left its thread interrupted must not pass that on to the next, which may run on this thread:
            // cleared, as an executor's threads do between tasks.
            Thread.interrupted();
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

    @SuppressWarnings("unchecked")
    private static <T> Object computeUnchecked(Job<T, ?> job, Object task) throws Exception {
        return job.compute((T) task);
    }

    /** Shared values the coordinator closed, to be let go of once the tasks before them have run. */
    record Released(List<SharedValue<?>> values) {
    }
}
