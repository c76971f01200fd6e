package dev.procpool.internal;

import dev.procpool.PoolClosedException;
import dev.procpool.ProcPoolException;
import dev.procpool.ProcessPoolConfig;
import dev.procpool.WorkerInfo;
import dev.procpool.job.Job;
import dev.procpool.protocol.BatchBudget;
import dev.procpool.protocol.OneLine;
import dev.procpool.protocol.SharedValue;
import dev.procpool.protocol.WireFormat;
import dev.procpool.spi.WorkerLauncher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A process pool's engine: its parts, built and wired, behind the calls a {@code ProcessPool} makes (start, tasks,
 * shares, what the workers use, close). The {@link Workforce} starts and replaces workers, the {@link Dispatcher}
 * decides who gets what next and the {@link WorkerBooks} what each holds, {@link WorkerNews} takes each worker's news
 * to the part that owns it, the {@link TaskSettler} settles tasks, the {@link PoolShutdown} ends it all, and the
 * {@link PoolLifecycle} says where the pool is in its life.
 *
 * <p>Threading: tasks arrive on the callers' threads; worker events on each worker's reader thread; delayed work
 * (replacements after a back-off, start-up deadlines, the time-limit watch) on one daemon thread,
 * {@code procpool-supervisor}. The parts are thread-safe; this class holds no state of its own but the task ids.
 */
public final class PoolEngine implements TaskSink {

    private final ProcessPoolConfig config;
    private final PoolLifecycle lifecycle = new PoolLifecycle();
    private final ScheduledExecutorService scheduler;
    private final WorkerBooks books;
    private final Dispatcher dispatcher;
    private final TaskSettler settler;
    private final Workforce workforce;
    private final WorkerNews news;
    private final PoolShutdown shutdown;
    private final JobTickets tickets;
    private final TicketDelivery delivery;
    private final PoolShares shares;
    private final AtomicLong nextTaskId = new AtomicLong();
    private final AtomicBoolean watchingTimeLimits = new AtomicBoolean();
    /** Numbers every heartbeat, the watch's and those asking for a fresh report. */
    private final AtomicLong heartbeats = new AtomicLong();

    public PoolEngine(ProcessPoolConfig config, WorkerJvm jvm, WorkerLauncher launcher, Ticker ticker) {
        this.config = config;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "procpool-supervisor");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.scheduler = executor;
        WireFormat format = WireFormat.forCoordinator();
        this.tickets = new JobTickets(format, config.maxFrameBytes());
        this.delivery = new TicketDelivery(format);
        this.shares = new PoolShares(format, tickets, delivery, launcher == WorkerLauncher.local(), config.notices());
        SendingTurn turn = new SendingTurn();
        this.books = new WorkerBooks(ticker, turn::request);
        int batchFrameBytes = batchFrameBytes(launcher);
        BatchBudget budget = new BatchBudget(batchFrameBytes);
        this.dispatcher = new Dispatcher(books, turn, WindowPolicy.of(config.tasksInFlightPerWorker(), budget.limited()),
                config.maxTasksPerWorker(), this::retiring, (task, error) -> settler().unsendable(task, error),
                delivery, budget);
        this.settler = new TaskSettler(dispatcher, config.retries(), config.maxFrameBytes(), config.notices());
        this.news = new WorkerNews(lifecycle, books, dispatcher, settler, delivery, this::workforce, config.notices());
        this.workforce = new Workforce(config, jvm, launcher, batchFrameBytes, format, lifecycle, scheduler, ticker,
                news, news::failQueuedIfNoWorkers);
        this.shutdown = new PoolShutdown(lifecycle, dispatcher, settler, workforce, scheduler,
                config.shutdownTimeout(), config.notices());
    }

    /** What the launcher's link carries in one message (asked once: the pool and its workers must agree). */
    private static int batchFrameBytes(WorkerLauncher launcher) {
        int frameBytes = launcher.batchFrameBytes();
        try {
            return BatchBudget.checkFrameBytes(frameBytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(launcher + " declares batch frames of " + frameBytes + " bytes: "
                    + e.getMessage(), e);
        }
    }

    private TaskSettler settler() {
        return settler;
    }

    private Workforce workforce() {
        return workforce;
    }

    /**
     * Launches every worker and returns when all are ready, then starts watching time limits.
     *
     * @throws dev.procpool.WorkerStartException if a worker cannot start
     */
    public void start() {
        workforce.startAll();
        Duration period = LivenessWatch.period(config.heartbeatTimeout());
        LivenessWatch liveness = new LivenessWatch(config.heartbeatTimeout(), period, workforce::workers,
                heartbeats);
        scheduler.scheduleWithFixedDelay(guarded("the liveness watch", liveness), period.toMillis(),
                period.toMillis(), TimeUnit.MILLISECONDS);
        if (config.taskTimeout() != null) {
            watchTimeLimits();
        }
    }

    /**
     * Starts the time-limit watch, once: at start if the pool has a limit for every task, or when the first task with
     * a limit of its own arrives.
     */
    private void watchTimeLimits() {
        if (watchingTimeLimits.compareAndSet(false, true)) {
            TimeLimitWatch watch = new TimeLimitWatch(books, settler, lifecycle, config.notices());
            try {
                scheduler.scheduleWithFixedDelay(guarded("the time-limit watch", watch), TimeLimitWatch.PERIOD_MILLIS,
                        TimeLimitWatch.PERIOD_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // Closing: nothing is left to watch.
            }
        }
    }

    /**
     * A periodic watch that outlives a failure: a scheduled task that throws is never run again, and a pool whose
     * watch died would stop noticing stuck workers for good. What it throws becomes a notice.
     */
    private Runnable guarded(String what, Runnable watch) {
        return () -> {
            try {
                watch.run();
            } catch (RuntimeException | Error e) {
                config.notices().accept(what + " failed and carries on: " + OneLine.of(e));
            }
        };
    }

    /**
     * Queues tasks; fails them at once if the pool can no longer run anything (it has given up starting workers and
     * none is left), or if workers have already said they cannot make the job.
     *
     * @throws dev.procpool.JobNotSendableException if the job cannot travel; nothing is queued
     */
    @Override
    public <T> void execute(Job<T, ?> job, List<T> tasks, List<? extends TaskCallback> callbacks) {
        if (lifecycle.isClosed()) {
            throw new PoolClosedException("the process pool is closed");
        }
        JobTicket ticket = tickets.of(job);
        List<TaskCallback> reading = shares.reading(ticket, callbacks);
        List<PendingTask> pending = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            T task = tasks.get(i);
            TaskCallback callback = reading.get(i);
            try {
                tickets.registerTask(ticket, task);
            } catch (ProcPoolException e) {
                callback.failed(e);
                continue;
            }
            Duration limit = callback.timeLimit() != null ? callback.timeLimit() : config.taskTimeout();
            if (callback.timeLimit() != null) {
                watchTimeLimits();
            }
            PendingTask queued = new PendingTask(nextTaskId.incrementAndGet(), ticket, task, callback, limit);
            callback.whenCancelled(() -> cancelled(queued));
            pending.add(queued);
        }
        if (ticket.unavailable() != null) {
            settler.failAll(pending, ticket.unavailable());
            return;
        }
        Optional<ProcPoolException> givenUp = lifecycle.givenUp();
        if (givenUp.isPresent() && books.readyWorkers() == 0) {
            settler.failAll(pending, givenUp.get());
            return;
        }
        if (!dispatcher.submit(pending)) {
            PoolClosedException closed = new PoolClosedException("the process pool is closed");
            settler.failAll(pending, closed); // settles their callbacks: the shares they counted are counted off
            throw closed;
        }
        // The last worker may have ended while these were queued.
        lifecycle.givenUp().ifPresent(news::failQueuedIfNoWorkers);
    }

    /**
     * Shares a value with the workers: each receives it once, before the first job that holds its handle; a large
     * primitive array is written to a file that local workers map.
     *
     * @throws dev.procpool.ShareNotSendableException if the value cannot travel
     * @throws PoolClosedException if the pool is closed
     */
    public <T> SharedValue<T> share(T value) {
        if (lifecycle.isClosed()) {
            throw new PoolClosedException("the process pool is closed");
        }
        return shares.share(value);
    }

    /** The workers launched and not yet ended, as they stand. */
    public List<WorkerInfo> workerInfo() {
        return workforce.workers().stream().map(WorkerConnection::info).toList();
    }

    /** The workers that ended (lost, retired, killed), each as it stood at its end. */
    public List<WorkerInfo> endedWorkerInfo() {
        return workforce.ended();
    }

    /**
     * The workers launched and not yet ended, after asking each ready one for a fresh report and waiting up to
     * {@code wait} for the answers; a worker that has not answered by then stands as it last reported.
     */
    public List<WorkerInfo> workerInfo(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        List<WorkerConnection> workers = workforce.workers();
        long[] asked = new long[workers.size()];
        for (int i = 0; i < workers.size(); i++) {
            if (workers.get(i).state() == ConnectionState.READY) {
                asked[i] = heartbeats.incrementAndGet();
                workers.get(i).input().sendHeartbeat(asked[i]);
            }
        }
        for (int i = 0; i < workers.size(); i++) {
            if (asked[i] != 0) {
                workers.get(i).awaitReport(asked[i], deadline);
            }
        }
        return workers.stream().map(WorkerConnection::info).toList();
    }

    /** The pids of the worker processes alive now. */
    public List<Long> workerPids() {
        return workforce.workers().stream().filter(WorkerConnection::isAlive).map(WorkerConnection::pid).toList();
    }

    /**
     * The user cancelled a task: if a worker is computing it, that worker is killed (a running task cannot be
     * stopped otherwise) and replaced, and the task does not run again. Idempotent.
     */
    private void cancelled(PendingTask task) {
        WorkerConnection worker = books.cancelled(task);
        if (worker != null) {
            worker.kill("was killed: task " + task.describe() + " was cancelled");
            config.notices().accept(FailureReports.cancelNotice(worker, task,
                    lifecycle.state() == PoolLifecycle.State.OPEN));
        }
    }

    /**
     * A worker reached its task quota: its replacement starts now, off the sending thread that noticed, so sends
     * and this worker's results do not wait for a JVM to launch.
     */
    private void retiring(WorkerConnection worker) {
        workforce.replaceLater(0);
    }

    /** See {@link PoolShutdown#close()}; then the files of shared arrays are deleted. */
    public void close() {
        try {
            shutdown.close();
        } finally {
            shares.close();
        }
    }

    /** See {@link PoolShutdown#abandon(String)}; then the files of shared arrays are deleted. */
    public void abandon(String reason) {
        try {
            shutdown.abandon(reason);
        } finally {
            shares.close();
        }
    }
}
