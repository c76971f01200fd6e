package dev.procpool.internal;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Enforces the pool's time limit per task: each look finds the tasks that have computed for longer than the limit,
 * fails them, and kills their workers (a thread cannot be stopped; a process can). Runs on the pool's scheduler,
 * one look at a time.
 */
final class TimeLimitWatch implements Runnable {

    /** How often it looks. */
    static final long PERIOD_MILLIS = 50;

    private final Duration limit;
    private final Dispatcher dispatcher;
    private final TaskSettler settler;
    private final PoolLifecycle lifecycle;
    private final Consumer<String> notices;

    TimeLimitWatch(Duration limit, Dispatcher dispatcher, TaskSettler settler, PoolLifecycle lifecycle,
            Consumer<String> notices) {
        this.limit = limit;
        this.dispatcher = dispatcher;
        this.settler = settler;
        this.lifecycle = lifecycle;
        this.notices = notices;
    }

    @Override
    public void run() {
        for (Dispatcher.Expired expired : dispatcher.expired(limit)) {
            WorkerConnection worker = expired.worker();
            PendingTask task = expired.task();
            settler.timedOut(worker, task, limit);
            worker.kill("was killed: task " + task.describe() + " ran past its time limit of " + limit.toMillis()
                    + " ms");
            notices.accept(FailureReports.timeoutNotice(worker, task, limit,
                    lifecycle.state() == PoolLifecycle.State.OPEN));
        }
    }
}
