package dev.procpool.internal;

import dev.procpool.FrameTooLargeException;
import dev.procpool.PoolClosedException;
import dev.procpool.ResultNotSendableException;
import dev.procpool.TaskFailedException;
import dev.procpool.TaskNotSendableException;
import dev.procpool.measure.TaskUsage;
import dev.procpool.protocol.EncodingException;
import dev.procpool.protocol.RemoteError;
import dev.procpool.protocol.TaskFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Settles a pool's tasks: completes them with results, fails them, and decides which run again after their worker
 * was lost. The only place a task's callback (and so a user's future) is settled; a task reaches it once it is off
 * the dispatcher's books, so each settles exactly once. Thread-safe: it keeps no state of its own.
 */
final class TaskSettler {

    private final Dispatcher dispatcher;
    private final int retries;
    private final int maxFrameBytes;
    private final Consumer<String> notices;

    /**
     * @param dispatcher where tasks that run again are queued
     * @param retries how many times a task runs again after the worker computing it died
     * @param maxFrameBytes the frame limit, which a task or result too large exceeded
     * @param notices where the pool says what it did about a lost worker
     */
    TaskSettler(Dispatcher dispatcher, int retries, int maxFrameBytes, Consumer<String> notices) {
        this.dispatcher = dispatcher;
        this.retries = retries;
        this.maxFrameBytes = maxFrameBytes;
        this.notices = notices;
    }

    /** A worker computed the task, taking {@code usage} (its share of what the worker measured). */
    void completed(PendingTask task, Object value, TaskUsage usage) {
        task.complete(value, usage);
    }

    /** The task produced no result in {@code worker}: its code threw, its job could not be made, or its result cannot travel. */
    void failed(WorkerConnection worker, PendingTask task, TaskFailure failure) {
        RemoteError error = failure.error();
        task.fail(switch (failure.kind()) {
            case THREW -> new TaskFailedException(task.job(), task.describe(), worker.id(), worker.pid(),
                    RemoteErrors.rebuild(error));
            case JOB_UNAVAILABLE -> task.ticket().unavailableOn(worker, error);
            case RESULT_TOO_LARGE -> new FrameTooLargeException(task.job(), task.describe(),
                    FrameTooLargeException.Payload.RESULT, failure.bytes(), maxFrameBytes, worker.describe());
            case RESULT_NOT_SENDABLE -> new ResultNotSendableException("task " + task.describe() + " of job "
                    + task.job() + " computed a result on " + worker.describe() + " that cannot travel back: "
                    + error.message() + "; " + RESULT_ADVICE, task.job(), task.describe(), worker.id(), worker.pid(),
                    error.className());
        });
    }

    private static final String RESULT_ADVICE = "results travel as records, enums, boxed primitives, String, Range, "
            + "byte[], int[], long[] and double[] (collections and other arrays do not: hold the data in arrays, or a "
            + "record of them), and a record or enum only if the job's result type (or a function's output type) names"
            + " it";

    /** The task could not be encoded for the wire; it never reached a worker. */
    void unsendable(PendingTask task, EncodingException error) {
        if (error.tooLarge()) {
            task.fail(new FrameTooLargeException(task.job(), task.describe(), FrameTooLargeException.Payload.TASK,
                    error.bytes(), maxFrameBytes, null));
            return;
        }
        if (task.ticket().releasedShare() != null) {
            task.fail(new TaskNotSendableException(task.job(), task.describe(), error.getMessage(), error));
            return;
        }
        String advice = "; tasks travel as records, enums, boxed primitives, String, Range, byte[], int[], long[] and "
                        + "double[], and a record or enum inside a component of type Object or an interface only if the"
                        + " job's task type (or a function's input type) names it";
        task.fail(new TaskNotSendableException(task.job(), task.describe(), error.getMessage() + advice, error));
    }

    /** The task ran past its time limit on {@code worker}, which is being killed. */
    void timedOut(WorkerConnection worker, PendingTask task, Duration limit) {
        task.fail(FailureReports.timedOut(worker, task, limit));
    }

    /** The tasks will not run: the pool closed, or can no longer run anything. */
    void failAll(List<PendingTask> tasks, RuntimeException reason) {
        for (PendingTask task : tasks) {
            task.fail(reason);
        }
    }

    /**
     * A ready worker ended while it held {@code leftovers}. It computes its tasks in order, so the first was running
     * when it died and is blamed for it: it runs again unless it has now taken down more workers than its retries
     * allow, and then fails. The others had not started and run again without blame. A worker that was killed for a
     * time limit is not news (that was reported when it was killed), and its computing task has already failed.
     *
     * @param aftermath what the pool does about the worker itself, for the notice ({@code starting a replacement})
     */
    void workerLost(WorkerConnection worker, WorkerEnd end, WorkerBooks.Leftovers leftovers, String aftermath) {
        List<PendingTask> held = leftovers.held();
        boolean killed = leftovers.standing() == Standing.KILLED;
        PendingTask running = held.isEmpty() || killed ? null : held.get(0);
        boolean givenUp = running != null && running.blame() > retries;
        String notice = killed ? null : FailureReports.crashNotice(worker, end, held, givenUp, retries, aftermath);
        List<PendingTask> again = new ArrayList<>(held);
        if (givenUp) {
            again.remove(running);
            running.fail(FailureReports.crashed(worker, end, running, retries));
        }
        if (!dispatcher.retry(again)) {
            failAll(again, new PoolClosedException("the process pool closed before the task could run again"));
        }
        if (notice != null) {
            notices.accept(notice); // after the tasks are on their way: the notice is words, the tasks are work
        }
    }
}
