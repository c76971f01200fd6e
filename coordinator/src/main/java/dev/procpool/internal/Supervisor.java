package dev.procpool.internal;

import dev.procpool.PoolClosedException;
import dev.procpool.ProcPoolException;
import dev.procpool.ProcessPoolConfig;
import dev.procpool.RemoteException;
import dev.procpool.TaskFailedException;
import dev.procpool.WorkerOutput;
import dev.procpool.WorkerStartException;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.ResultBatch;
import dev.procpool.protocol.TaskFailure;
import dev.procpool.protocol.WireFormat;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Starts, watches and replaces a pool's worker processes, and settles every task a worker answers or leaves
 * behind: a result or a remote exception completes it; a crash retries it (or fails it once it has crashed
 * {@code retries + 1} workers); a time limit fails it and kills its worker.
 *
 * <p>Threading: worker events arrive on each worker's reader thread; delayed work (replacements after a backoff,
 * start-up deadlines, the time-limit watch) runs on one daemon thread, {@code procpool-supervisor}. Launching is
 * serialized with closing under {@code launchLock}, so no worker starts after {@link #close()}.
 */
public final class Supervisor implements WorkerEvents {

    /** Replacements that fail to start in a row before the pool gives up replacing. */
    static final int MAX_START_FAILURES = 5;
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    private static final long WATCH_PERIOD_MILLIS = 50;
    private static final long DISPATCHER_STOP_MILLIS = 1_000;
    private static final long REPORT_WAIT_MILLIS = 3_000;

    private final ProcessPoolConfig config;
    private final WorkerCommand command;
    private final WorkerLauncher launcher;
    /** Where workers' stderr lines go: the pool's output, less the JVM's refusals of the AOT cache, said once. */
    private final WorkerOutput output;
    /** Built in {@link #start()} while the first workers boot; read by later launches. */
    private volatile WireFormat format;
    private final Dispatcher dispatcher;
    private final ScheduledExecutorService scheduler;
    private final List<WorkerProcess> workers = new CopyOnWriteArrayList<>();
    private final Set<WorkerProcess> retired = ConcurrentHashMap.newKeySet();
    private final Object launchLock = new Object();
    private int nextWorkerId = 1;
    /** Written under launchLock, so no launch follows it; read anywhere. */
    private volatile boolean closed;
    private int startFailures;
    private volatile ProcPoolException broken;

    private final StartupLatch startup;

    public Supervisor(ProcessPoolConfig config, WorkerCommand command, WorkerLauncher launcher) {
        this.config = config;
        this.command = command;
        this.launcher = launcher;
        this.output = command.aotCache() == null ? config.workerOutput()
                : new AotCacheRefusal(command.aotCache(), config.workerOutput(), config.notices());
        this.startup = new StartupLatch(config.workers(), config.startupTimeout());
        this.dispatcher = new Dispatcher(config.tasksInFlightPerWorker(), config.maxTasksPerWorker(), System::nanoTime,
                this::retiring);
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "procpool-supervisor");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.scheduler = executor;
    }

    /**
     * Launches every worker at once and returns when all are ready; throws if any cannot start. The JVMs are
     * launched first and this side of the channel is prepared while they boot.
     */
    public void start() {
        long deadline = System.nanoTime() + config.startupTimeout().toNanos();
        List<Integer> ids = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        synchronized (launchLock) {
            for (int i = 0; i < config.workers(); i++) {
                int id = nextWorkerId++;
                try {
                    processes.add(launcher.launch(command.toList(id)));
                    ids.add(id);
                } catch (IOException e) {
                    processes.forEach(Process::destroyForcibly);
                    throw cannotLaunch(id, e);
                }
            }
            try {
                format = WireFormat.of(config.jobs());
            } catch (RuntimeException e) {
                processes.forEach(Process::destroyForcibly);
                throw e;
            }
            for (int i = 0; i < processes.size(); i++) {
                watch(WorkerProcess.attach(ids.get(i), processes.get(i), command.maxFrameBytes(), format,
                        output, this));
            }
        }
        startup.await(deadline);
        if (config.taskTimeout() != null) {
            scheduler.scheduleWithFixedDelay(this::enforceTimeLimit, WATCH_PERIOD_MILLIS, WATCH_PERIOD_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Queues tasks; fails them at once if the pool can no longer run anything: it has given up starting workers
     * and none is left.
     */
    public void submit(List<PendingTask> tasks) {
        if (closed) {
            throw new PoolClosedException("the process pool is closed");
        }
        ProcPoolException reason = broken;
        if (reason != null && dispatcher.readyWorkers() == 0) {
            failAll(tasks, reason);
            return;
        }
        if (!dispatcher.submit(tasks)) {
            throw new PoolClosedException("the process pool is closed");
        }
        reason = broken;
        if (reason != null) {
            failQueuedIfNoWorkers(reason); // the last worker may have ended while these were queued
        }
    }

    /** The pids of the worker processes alive now. */
    public List<Long> workerPids() {
        return workers.stream().filter(WorkerProcess::isAlive).map(WorkerProcess::pid).toList();
    }

    private void launch() {
        synchronized (launchLock) {
            if (closed || broken != null) {
                return; // closing, or given up: the notice said no more workers would start
            }
            int id = nextWorkerId++;
            try {
                watch(WorkerProcess.start(id, command, launcher, format, output, this));
            } catch (IOException e) {
                throw cannotLaunch(id, e);
            }
        }
    }

    /** Tracks a launched worker, and kills it if it is not ready within the start-up timeout. Under launchLock. */
    private void watch(WorkerProcess worker) {
        workers.add(worker);
        scheduler.schedule(() -> abandonIfNotReady(worker), config.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private WorkerStartException cannotLaunch(int id, IOException e) {
        return new WorkerStartException("cannot launch worker " + id + " with " + command.java() + ": " + e.getMessage()
                + "; check that the JDK at " + command.java().getParent() + " is intact", e);
    }

    private void launchReplacement() {
        try {
            launch();
        } catch (WorkerStartException e) {
            giveUp(e);
        }
    }

    private void abandonIfNotReady(WorkerProcess worker) {
        if (worker.state() == WorkerState.STARTING) {
            worker.kill("did not become ready within " + config.startupTimeout().toMillis() + " ms");
        }
    }

    @Override
    public void ready(WorkerProcess worker) {
        dispatcher.workerReady(worker);
        synchronized (launchLock) {
            startFailures = 0;
        }
        startup.ready();
    }

    @Override
    public void message(WorkerProcess worker, Message message) {
        if (message instanceof ResultBatch results) {
            PendingTask[] tasks = dispatcher.finished(worker, results.ids(), results.busyNanos());
            Object[] values = results.values();
            for (int i = 0; i < tasks.length; i++) {
                if (tasks[i] != null) {
                    tasks[i].complete(values[i]);
                } else if (!dispatcher.isTimedOut(worker)) {
                    worker.kill("answered task " + results.ids()[i] + ", which it did not hold or not in the order "
                            + "it was sent");
                }
            }
            dispatcher.pump();
        } else if (message instanceof TaskFailure failure) {
            PendingTask task = dispatcher.finished(worker, failure.taskId());
            if (task != null) {
                task.fail(new TaskFailedException(task.job(), task.describe(), worker.id(), worker.pid(),
                        RemoteException.of(failure.error())));
            } else if (!dispatcher.isTimedOut(worker)) {
                worker.kill("reported a failure of task " + failure.taskId() + ", which it did not hold");
            }
            dispatcher.pump();
        } else {
            worker.kill("sent a " + message.getClass().getSimpleName() + ", which only a coordinator sends");
        }
    }

    @Override
    public void ended(WorkerProcess worker, WorkerEnd end) {
        workers.remove(worker);
        Dispatcher.Leftovers leftovers = dispatcher.workerEnded(worker);
        List<PendingTask> held = leftovers.held();
        boolean wasTimedOut = leftovers.timedOut();
        boolean wasRetired = retired.remove(worker);
        if (closed) {
            failAll(held, new PoolClosedException("the process pool closed while " + worker.describe()
                    + " held the task"));
            return;
        }
        if (!end.wasReady()) {
            startFailed(worker, end);
            return;
        }
        if (wasRetired && held.isEmpty() && end.exitStatus().orElse(-1) == 0) {
            return; // recycled as planned; its replacement is already on its way
        }
        // It computes its tasks in order: the first was running when it died, the others had not started.
        PendingTask running = held.isEmpty() || wasTimedOut ? null : held.get(0);
        boolean givenUp = running != null && running.blame() > config.retries();
        boolean replacing = !wasRetired && broken == null;
        if (!wasTimedOut) {
            String aftermath = wasRetired ? "its replacement was already starting"
                    : replacing ? "starting a replacement"
                    : "starting no replacement: the pool has stopped starting workers";
            config.notices().accept(FailureReports.crashNotice(worker, end, held, givenUp, config.retries(), aftermath));
        }
        List<PendingTask> again = new ArrayList<>(held);
        if (givenUp) {
            again.remove(running);
            running.fail(FailureReports.crashed(worker, end, running, config.retries()));
        }
        if (!dispatcher.retry(again)) {
            failAll(again, new PoolClosedException("the process pool closed before the task could run again"));
        }
        if (replacing) {
            launchReplacement();
        } else if (broken != null) {
            failQueuedIfNoWorkers(broken);
        }
    }

    /**
     * A worker reached its task quota: its replacement starts now, off the sending thread that noticed, so sends
     * and this worker's results do not wait for a JVM to launch.
     */
    private void retiring(WorkerProcess worker) {
        retired.add(worker);
        later(this::launchReplacement, 0);
    }

    /** Runs {@code action} on the supervisor thread after {@code delayMillis}; nothing once the pool is closing. */
    private void later(Runnable action, long delayMillis) {
        try {
            scheduler.schedule(action, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closing: nothing more is launched.
        }
    }

    private void startFailed(WorkerProcess worker, WorkerEnd end) {
        String message = FailureReports.couldNotStart(worker, end);
        if (startup.failed(() -> new WorkerStartException(message + "\n  command: "
                + String.join(" ", command.toList(worker.id()))))) {
            return;
        }
        int failures;
        synchronized (launchLock) {
            failures = ++startFailures;
        }
        if (failures >= MAX_START_FAILURES) {
            giveUp(new WorkerStartException(failures + " replacement workers in a row could not start; the last, "
                    + message));
            return;
        }
        long delay = Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << (failures - 1));
        config.notices().accept(message.replace('\n', ' ') + "; trying again in " + delay + " ms");
        later(this::launchReplacement, delay);
    }

    /** No more replacements: tasks still queued fail now if no worker is left to run them. */
    private void giveUp(ProcPoolException reason) {
        broken = reason;
        config.notices().accept(reason.getMessage().replace('\n', ' ') + "; no more workers will be started");
        failQueuedIfNoWorkers(reason);
    }

    private void failQueuedIfNoWorkers(ProcPoolException reason) {
        if (dispatcher.readyWorkers() == 0) {
            failAll(dispatcher.drainQueue(), reason);
        }
    }

    private void enforceTimeLimit() {
        Duration limit = config.taskTimeout();
        for (Dispatcher.Expired expired : dispatcher.expired(limit)) {
            WorkerProcess worker = expired.worker();
            PendingTask task = expired.task();
            task.fail(FailureReports.timedOut(worker, task, limit));
            worker.kill("was killed: task " + task.describe() + " ran past its time limit of " + limit.toMillis() + " ms");
            config.notices().accept(FailureReports.timeoutNotice(worker, task, limit, broken == null));
        }
    }

    /**
     * Stops the pool: queued tasks fail with {@link PoolClosedException}, each worker is told to shut down and
     * its stdin closed, workers still running after the shutdown timeout are killed, and tasks they held fail
     * with {@link PoolClosedException}. Idempotent; returns within a few seconds whatever the workers do.
     */
    public void close() {
        synchronized (launchLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        scheduler.shutdownNow();
        try {
            boolean dispatcherStopped = dispatcher.stop(DISPATCHER_STOP_MILLIS);
            failAll(dispatcher.drainQueue(), new PoolClosedException("the process pool closed before the task was sent"));
            for (WorkerProcess worker : workers) {
                if (dispatcherStopped) {
                    worker.askToShutDown();
                }
                worker.closeInput();
            }
            long exitDeadline = System.nanoTime() + config.shutdownTimeout().toNanos();
            List<String> killed = new ArrayList<>();
            for (WorkerProcess worker : workers) {
                if (!worker.awaitExit(millisUntil(exitDeadline))) {
                    worker.kill("did not exit within " + config.shutdownTimeout().toMillis() + " ms of shutdown");
                    killed.add(worker.describe());
                }
            }
            if (!killed.isEmpty()) {
                config.notices().accept("closing: killed " + String.join(", ", killed) + ", which did not exit within "
                        + config.shutdownTimeout().toMillis() + " ms of being told to shut down");
            }
            // One deadline for all: the reader threads settle what each worker held, in parallel.
            long reportDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REPORT_WAIT_MILLIS);
            List<String> silent = new ArrayList<>();
            for (WorkerProcess worker : workers) {
                if (!worker.awaitReported(millisUntil(reportDeadline))) {
                    silent.add(worker.describe());
                }
            }
            if (!silent.isEmpty()) {
                config.notices().accept("closing: gave up after " + REPORT_WAIT_MILLIS + " ms waiting for the end of "
                        + String.join(", ", silent) + "; tasks they held may not have settled");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killAll("its pool was interrupted while closing");
        }
    }

    /**
     * Kills every worker at once and starts no more: for a JVM that is exiting (SIGTERM, SIGINT, System.exit)
     * without closing the pool. Tasks still held fail with {@link PoolClosedException}.
     */
    public void abandon(String reason) {
        synchronized (launchLock) {
            closed = true;
        }
        scheduler.shutdownNow();
        killAll(reason);
    }

    private static long millisUntil(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    private void killAll(String reason) {
        for (WorkerProcess worker : workers) {
            worker.kill(reason);
        }
    }

    private static void failAll(List<PendingTask> tasks, RuntimeException error) {
        for (PendingTask task : tasks) {
            task.fail(error);
        }
    }
}
