package dev.procpool;

import dev.procpool.job.Job;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs one job through a {@link Runner}: submits its tasks a window at a time, folds results in task order as
 * they arrive, and stops at the first failure unless told to keep going. Memory stays bounded by the window, not
 * by the number of tasks. One instance serves one run; its state is guarded by {@code lock}.
 */
final class JobDriver<T, R> {

    /** How many tasks may be submitted and not yet folded, per worker of the runner. */
    private static final int WINDOW_PER_WORKER = 64;
    private static final int MIN_WINDOW = 256;
    private static final Object FAILED = new Object();

    private final Runner runner;
    private final Job<T, R> job;
    private final long size;
    private final int count;
    private final boolean keepGoing;
    private final int window;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();
    /** Results completed but not folded yet, at {@code index % window}; null where not completed. */
    private final Object[] completed;
    private final Map<Integer, CompletableFuture<R>> unfinished = new HashMap<>();
    private final List<TaskError> failures = new ArrayList<>();
    private int submitted;
    private int folded;
    private R combined;
    private boolean stopped;

    private JobDriver(Runner runner, Job<T, R> job, long size, int count, boolean keepGoing) {
        this.runner = runner;
        this.job = job;
        this.size = size;
        this.count = count;
        this.keepGoing = keepGoing;
        this.window = Math.min(count, Math.max(MIN_WINDOW, runner.workers() * WINDOW_PER_WORKER));
        this.completed = new Object[window];
        this.combined = job.identity();
    }

    static <T, R> JobResult<R> run(Runner runner, Job<T, R> job, long size, int tasks, boolean keepGoing) {
        if (size < 1 || size > job.maxSize()) {
            throw new IllegalArgumentException("size must be between 1 and " + job.maxSize() + " for job "
                    + job.name() + ", was " + size);
        }
        if (tasks < 1) {
            throw new IllegalArgumentException("tasks must be at least 1, was " + tasks);
        }
        int count = job.taskCount(size, tasks);
        return new JobDriver<>(runner, job, size, count, keepGoing).run();
    }

    private JobResult<R> run() {
        long start = System.nanoTime();
        List<CompletableFuture<R>> withdrawn;
        List<TaskError> failed;
        lock.lock();
        try {
            while (folded < count && !stopped) {
                if (submitted < count && submitted - folded < window) {
                    int index = submitted++;
                    lock.unlock();
                    try {
                        submit(index);
                    } finally {
                        lock.lock();
                    }
                } else {
                    awaitProgress();
                }
            }
            withdrawn = new ArrayList<>(unfinished.values());
            failed = List.copyOf(failures);
        } finally {
            lock.unlock();
        }
        if (!failed.isEmpty()) {
            // Outside the lock: cancelling runs completion callbacks, which take it.
            withdrawn.forEach(future -> future.cancel(false));
            throw new JobFailedException(job.name(), failed);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new JobResult<>(job.name(), size, count, combined, job.format(combined), elapsed);
    }

    private void awaitProgress() {
        try {
            // Bounded so an interrupt or a stuck runner is noticed; tasks themselves may legitimately run long.
            progress.await(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
            failures.add(new TaskError(folded, count, "(waiting)", new PoolClosedException(
                    "interrupted while waiting for job " + job.name())));
        }
    }

    private void submit(int index) {
        T task;
        CompletableFuture<R> future;
        try {
            task = job.task(size, count, index);
            future = runner.submit(job, task);
        } catch (RuntimeException e) {
            onComplete(index, "(not created)", null, e);
            return;
        }
        lock.lock();
        try {
            if (!future.isDone()) {
                unfinished.put(index, future);
            }
        } finally {
            lock.unlock();
        }
        String description = String.valueOf(task);
        future.whenComplete((value, error) -> onComplete(index, description, value, error));
    }

    private void onComplete(int index, String task, R value, Throwable error) {
        lock.lock();
        try {
            unfinished.remove(index);
            if (stopped) {
                return;
            }
            if (error != null) {
                Throwable cause = unwrap(error);
                if (cause instanceof CancellationException && !failures.isEmpty()) {
                    return;
                }
                failures.add(new TaskError(index, count, task, cause));
                stopped = !keepGoing;
                completed[index % window] = FAILED;
            } else {
                completed[index % window] = value == null ? FAILED : value;
                if (value == null) {
                    failures.add(new TaskError(index, count, task, new NullPointerException("the task returned null")));
                    stopped = !keepGoing;
                }
            }
            foldReady();
            progress.signalAll();
        } catch (RuntimeException e) {
            failures.add(new TaskError(index, count, task, e));
            stopped = true;
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @SuppressWarnings("unchecked")
    private void foldReady() {
        while (folded < submitted) {
            int slot = folded % window;
            Object result = completed[slot];
            if (result == null) {
                return;
            }
            completed[slot] = null;
            if (result != FAILED && failures.isEmpty()) {
                combined = job.combine(combined, (R) result);
            }
            folded++;
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
