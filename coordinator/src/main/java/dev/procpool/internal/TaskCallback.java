package dev.procpool.internal;

import dev.procpool.measure.TaskUsage;
import java.time.Duration;

/**
 * Where a task's outcome goes: exactly one of {@link #succeeded}, {@link #failed} or, for a task taken off a queue
 * without running because its caller gave it up ({@link #abandoned}), {@link #dropped} is called, once, from whichever
 * thread settles the task; abandoned tasks still queued when a runner closes are failed. Implementations must be
 * thread-safe.
 */
public interface TaskCallback {

    /**
     * The task computed {@code value}; {@code usage} is what computing it took on the thread that ran it (a share of
     * it, for tasks that were measured together).
     */
    void succeeded(Object value, TaskUsage usage);

    void failed(Throwable error);

    /**
     * Whether nobody wants the outcome any more (a cancelled future, a job run that already failed). Only asks: a
     * runner may ask under its locks; what dropping the task does is {@link #dropped()}.
     */
    boolean abandoned();

    /**
     * The runner dropped the task without running it, because it was {@link #abandoned()}: neither {@link #succeeded}
     * nor {@link #failed} is called. Called at most once, outside the runner's locks, so it may do slow work (delete a
     * file). By default nothing.
     */
    default void dropped() {
    }

    /**
     * For a runner about to run the task on a thread of its own, with no lock held: drops it if it was
     * {@link #abandoned()}, and says whether it did. (A runner that takes tasks off a queue under a lock asks
     * {@code abandoned} there and calls {@code dropped} after.)
     */
    default boolean dropIfAbandoned() {
        if (!abandoned()) {
            return false;
        }
        dropped();
        return true;
    }

    /**
     * The id of the job run the task belongs to, or 0 for a task submitted on its own. Runners measure the tasks of a
     * run (tiny ones by sample, see {@link dev.procpool.measure.ThreadClock}) and not single tasks, whose usage
     * nobody reads.
     */
    default long runId() {
        return 0;
    }

    /**
     * How long this task may compute, or null for the runner's own limit (a process pool's {@code taskTimeout}; none on
     * threads). Past it, a worker process computing it is killed; a thread is interrupted, and the task fails either
     * way with {@link dev.procpool.TaskTimeoutException}.
     */
    default Duration timeLimit() {
        return null;
    }

    /**
     * Asks to be told, through {@code stop}, when the user cancels the task, so a runner that can stop a running task
     * does. Called at most once, when the task is queued; {@code stop} may run on any thread. By default nobody
     * cancels.
     */
    default void whenCancelled(Runnable stop) {
    }
}
