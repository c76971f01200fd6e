package dev.procpool;

import dev.procpool.internal.TaskCallback;
import dev.procpool.protocol.OneLine;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One task's time limit on a thread of this JVM, which cannot be killed: at the limit its callback fails with
 * {@link TaskTimeoutException} and the thread is interrupted; the task runs on until it returns, and its outcome is
 * dropped. Thread-safe: the computing thread and the timer thread ({@code procpool-time-limits}, one daemon for the
 * whole JVM) meet under this object's lock, so an interrupt meant for this task never reaches the thread's next one.
 */
final class LocalTimeLimit {

    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private enum State { RUNNING, DONE, EXPIRED }

    private final TaskCallback callback;
    private final Thread thread;
    private final String job;
    private final Object task;
    private final Duration limit;
    /** Guarded by {@code this}. */
    private State state = State.RUNNING;
    /** Guarded by {@code this}. */
    private ScheduledFuture<?> expiry;

    private LocalTimeLimit(TaskCallback callback, String job, Object task, Duration limit) {
        this.callback = callback;
        this.thread = Thread.currentThread();
        this.job = job;
        this.task = task;
        this.limit = limit;
    }

    /**
     * Starts the limit of the task the current thread is about to compute, if its callback has one; null if not. Call
     * {@link #finish()} once the task returns, whatever it returned.
     */
    static LocalTimeLimit start(TaskCallback callback, String job, Object task) {
        Duration limit = callback.timeLimit();
        if (limit == null) {
            return null;
        }
        LocalTimeLimit watch = new LocalTimeLimit(callback, job, task, limit);
        synchronized (watch) {
            watch.expiry = TIMER.schedule(watch::expire, limit.toNanos(), TimeUnit.NANOSECONDS);
        }
        return watch;
    }

    private synchronized void expire() {
        if (state != State.RUNNING) {
            return;
        }
        state = State.EXPIRED;
        String location = thread.isVirtual() ? "virtual thread " + thread.getName() : "thread " + thread.getName();
        callback.failed(new TaskTimeoutException(job, OneLine.of(task), location, limit, false));
        thread.interrupt();
    }

    /**
     * The task has returned: returns false if its limit had already expired, so its outcome must be dropped (and the
     * interrupt sent at the limit is cleared, so the thread's next task does not see it).
     */
    synchronized boolean finish() {
        if (state == State.EXPIRED) {
            Thread.interrupted();
            return false;
        }
        state = State.DONE;
        expiry.cancel(false);
        return true;
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "procpool-time-limits");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
