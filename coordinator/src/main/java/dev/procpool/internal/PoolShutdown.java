package dev.procpool.internal;

import dev.procpool.PoolClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Ends a process pool in order, every step bounded: wait for launches under way, stop dispatching, fail what is
 * queued, tell each worker to shut down and close its stdin (each on a thread of its own: a worker that stopped
 * reading blocks whoever writes to it, until it is killed), wait for the workers to exit, kill the ones that do not,
 * then wait for their ends to be reported, so every task they held is settled. Says in a notice whenever a wait ran
 * out. The launcher is not closed: whoever made it does, after every pool that uses it. Used once per pool.
 */
final class PoolShutdown {

    private static final Duration DISPATCHER_STOP = Duration.ofSeconds(1);
    private static final long REPORT_WAIT_MILLIS = 3_000;

    private final PoolLifecycle lifecycle;
    private final Dispatcher dispatcher;
    private final TaskSettler settler;
    private final Workforce workforce;
    private final ScheduledExecutorService scheduler;
    private final Duration shutdownTimeout;
    private final Consumer<String> notices;

    PoolShutdown(PoolLifecycle lifecycle, Dispatcher dispatcher, TaskSettler settler, Workforce workforce,
            ScheduledExecutorService scheduler, Duration shutdownTimeout, Consumer<String> notices) {
        this.lifecycle = lifecycle;
        this.dispatcher = dispatcher;
        this.settler = settler;
        this.workforce = workforce;
        this.scheduler = scheduler;
        this.shutdownTimeout = shutdownTimeout;
        this.notices = notices;
    }

    /**
     * Closes the pool: queued tasks fail with {@link PoolClosedException}, each worker is told to shut down and its
     * stdin closed, workers still running after the shutdown timeout are killed, and tasks they held fail with
     * {@link PoolClosedException}. Only the first call does anything; returns within a few seconds whatever the
     * workers do.
     */
    void close() {
        if (!lifecycle.close()) {
            return;
        }
        scheduler.shutdownNow();
        List<WorkerConnection> workers;
        try {
            if (!lifecycle.awaitLaunches(shutdownTimeout.toMillis())) {
                notices.accept("closing: a launch was still under way after " + shutdownTimeout.toMillis()
                        + " ms; the worker it makes will be killed as soon as it is launched");
            }
            workers = workforce.workers();
            boolean dispatcherStopped = dispatcher.stop(DISPATCHER_STOP);
            settler.failAll(dispatcher.drainQueue(),
                    new PoolClosedException("the process pool closed before the task was sent"));
            for (WorkerConnection worker : workers) {
                Thread.ofPlatform().daemon().name("procpool-closing-worker-" + worker.id()).start(() -> {
                    if (dispatcherStopped) {
                        worker.input().askToShutDown();
                    }
                    worker.input().close();
                });
            }
            long exitDeadline = System.nanoTime() + shutdownTimeout.toNanos();
            List<String> killed = new ArrayList<>();
            for (WorkerConnection worker : workers) {
                if (!worker.awaitExit(millisUntil(exitDeadline))) {
                    worker.kill("did not exit within " + shutdownTimeout.toMillis() + " ms of shutdown");
                    killed.add(worker.describe());
                }
            }
            if (!killed.isEmpty()) {
                notices.accept("closing: killed " + String.join(", ", killed) + ", which did not exit within "
                        + shutdownTimeout.toMillis() + " ms of being told to shut down");
            }
            // One deadline for all: the reader threads settle what each worker held, in parallel.
            long reportDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REPORT_WAIT_MILLIS);
            List<String> silent = new ArrayList<>();
            for (WorkerConnection worker : workers) {
                if (!worker.awaitReported(millisUntil(reportDeadline))) {
                    silent.add(worker.describe());
                }
            }
            if (!silent.isEmpty()) {
                notices.accept("closing: gave up after " + REPORT_WAIT_MILLIS + " ms waiting for the end of "
                        + String.join(", ", silent) + "; tasks they held may not have settled");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killAll(workforce.workers(), "its pool was interrupted while closing");
        }
    }

    /**
     * Kills every worker at once and starts no more: for a JVM that is exiting (SIGTERM, SIGINT, System.exit)
     * without closing the pool. Queued tasks and tasks still held fail with {@link PoolClosedException}.
     */
    void abandon(String reason) {
        lifecycle.close();
        scheduler.shutdownNow();
        settler.failAll(dispatcher.drainQueue(), new PoolClosedException("the process pool was abandoned before the "
                + "task was sent: " + reason));
        killAll(workforce.workers(), reason);
    }

    private static long millisUntil(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    private static void killAll(List<WorkerConnection> workers, String reason) {
        for (WorkerConnection worker : workers) {
            worker.kill(reason);
        }
    }
}
