package dev.procpool.internal;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Enforces tasks' time limits (the pool's {@code taskTimeout}, or the limit a task was submitted with): each look finds
 * the tasks that have computed for longer than their limit, fails them, and kills their workers (a thread cannot be
 * stopped; a process can). Runs on the pool's scheduler, one look at a time.
 */
final class TimeLimitWatch implements Runnable {

    /** How often it looks. */
    static final long PERIOD_MILLIS = 50;

    private final WorkerBooks books;
    private final TaskSettler settler;
    private final PoolLifecycle lifecycle;
    private final Consumer<String> notices;

    TimeLimitWatch(WorkerBooks books, TaskSettler settler, PoolLifecycle lifecycle, Consumer<String> notices) {
        this.books = books;
        this.settler = settler;
        this.lifecycle = lifecycle;
        this.notices = notices;
    }

    @Override
    public void run() {
        for (WorkerBooks.Expired expired : books.expired()) {
            WorkerConnection worker = expired.worker();
            PendingTask task = expired.task();
            Duration limit = task.limit();
            settler.timedOut(worker, task, limit);
            worker.kill("was killed: task " + task.describe() + " ran past its time limit of " + limit.toMillis()
                    + " ms");
            notices.accept(FailureReports.timeoutNotice(worker, task, limit,
                    lifecycle.state() == PoolLifecycle.State.OPEN));
        }
    }
}
