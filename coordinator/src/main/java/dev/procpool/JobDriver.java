package dev.procpool;

import dev.procpool.internal.TaskCallback;
import dev.procpool.job.Job;
import dev.procpool.measure.TaskUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs one job through a {@link Runner}: submits its tasks in chunks, a bounded window ahead of the results,
 * folds results in task order as they arrive, and stops at the first failure unless told to keep going. Memory
 * stays bounded by the window, not by the number of tasks. One instance serves one run; its state is guarded by
 * {@code lock}.
 */
final class JobDriver<T, R> {

    /**
     * Tasks submitted and not yet folded, per worker: enough to keep the pool's deepest queues full. The window
     * stays at least twice the workers, so that every one of many virtual threads has a task.
     */
    private static final int WINDOW_PER_WORKER = 8192;
    private static final int MIN_WINDOW = 1024;
    private static final int MAX_WINDOW = 1 << 16;
    /** Tasks handed to the runner in one call. */
    private static final int CHUNK = 1024;
    private static final Object FAILED = new Object();
    private static final AtomicLong RUN_IDS = new AtomicLong();

    /** This run's id, by which runners tell its tasks from another run's. */
    private final long id = RUN_IDS.incrementAndGet();
    private final Runner runner;
    private final Job<T, R> job;
    private final long size;
    private final int count;
    private final boolean keepGoing;
    private final ProgressListener progressListener;
    private final int window;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();
    /** Results completed but not folded yet, at {@code index % window}; null where not completed. */
    private final Object[] completed;
    /** Futures of runners without batch submission, for withdrawing them after a failure. */
    private final Map<Integer, CompletableFuture<R>> unfinished = new HashMap<>();
    private final List<TaskError> failures = new ArrayList<>();
    private int submitted;
    private int folded;
    private R combined;
    /** What the tasks that succeeded took, summed; guarded by {@code lock}. */
    private TaskUsage usage = TaskUsage.NONE;
    /** Whether the runner measures its tasks (a runner of the user's own, through futures, does not). */
    private final boolean measured;
    private volatile boolean stopped;

    private JobDriver(Runner runner, Job<T, R> job, long size, int count, boolean keepGoing,
            ProgressListener progressListener) {
        this.runner = runner;
        this.job = job;
        this.size = size;
        this.count = count;
        this.keepGoing = keepGoing;
        this.progressListener = progressListener;
        long perWorker = Math.min(MAX_WINDOW, Math.max(MIN_WINDOW, (long) runner.workers() * WINDOW_PER_WORKER));
        this.window = (int) Math.min(count, Math.max(perWorker, 2L * runner.workers()));
        this.measured = runner instanceof BatchSubmitter;
        this.completed = new Object[window];
        this.combined = job.identity();
    }

    static <T, R> JobResult<R> run(Runner runner, Job<T, R> job, long size, int tasks, boolean keepGoing,
            ProgressListener progressListener) {
        if (size < 1 || size > job.maxSize()) {
            throw new IllegalArgumentException("size must be between 1 and " + job.maxSize() + " for job "
                    + job.name() + ", was " + size);
        }
        if (tasks < 1) {
            throw new IllegalArgumentException("tasks must be at least 1, was " + tasks);
        }
        int count = job.taskCount(size, tasks);
        return new JobDriver<>(runner, job, size, count, keepGoing, progressListener).run();
    }

    private JobResult<R> run() {
        long start = System.nanoTime();
        List<CompletableFuture<R>> withdrawn;
        List<TaskError> failed;
        lock.lock();
        try {
            while (folded < count && !stopped) {
                int room = Math.min(window - (submitted - folded), count - submitted);
                if (room > 0) {
                    int from = submitted;
                    int chunk = Math.min(room, CHUNK);
                    submitted += chunk;
                    lock.unlock();
                    try {
                        submit(from, chunk);
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
        TaskUsage used;
        lock.lock();
        try {
            used = measured ? usage : TaskUsage.wallOnly(0);
        } finally {
            lock.unlock();
        }
        return new JobResult<>(job.name(), size, count, combined, job.format(combined), elapsed, used);
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

    /** Creates tasks {@code [from, from + n)} and hands them to the runner. */
    private void submit(int from, int n) {
        List<T> tasks = new ArrayList<>(n);
        List<Task> callbacks = new ArrayList<>(n);
        for (int index = from; index < from + n; index++) {
            T task;
            try {
                task = job.task(size, count, index);
            } catch (RuntimeException e) {
                new Task(index, "(not created)").failed(e);
                continue;
            }
            tasks.add(task);
            callbacks.add(new Task(index, task));
        }
        try {
            if (runner instanceof BatchSubmitter batches) {
                batches.execute(job, tasks, callbacks);
            } else {
                // One at a time, and no more once the run has stopped: a runner may compute each as it is submitted.
                for (int i = 0; i < tasks.size() && !stopped; i++) {
                    submitOne(tasks.get(i), callbacks.get(i));
                }
            }
        } catch (RuntimeException e) {
            callbacks.forEach(callback -> callback.failed(e));
        }
    }

    private void submitOne(T task, Task callback) {
        CompletableFuture<R> future = runner.submit(job, task);
        lock.lock();
        try {
            if (!future.isDone()) {
                unfinished.put(callback.index, future);
            }
        } finally {
            lock.unlock();
        }
        future.whenComplete((value, error) -> {
            if (error == null) {
                callback.succeeded(value, TaskUsage.NONE); // not measured: a runner of the user's own
            } else {
                callback.failed(error);
            }
        });
    }

    /**
     * One task of this run: where its outcome goes. Its first outcome counts; a later one (a submission that failed
     * after the runner had already settled some of its tasks) is dropped.
     */
    private final class Task implements TaskCallback {
        private final int index;
        private final Object task;
        /** Guarded by {@code lock}. */
        private boolean settled;

        Task(int index, Object task) {
            this.index = index;
            this.task = task;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void succeeded(Object value, TaskUsage used) {
            onComplete(this, (R) value, used, null);
        }

        @Override
        public void failed(Throwable error) {
            onComplete(this, null, TaskUsage.NONE, error);
        }

        @Override
        public boolean abandoned() {
            return stopped;
        }

        @Override
        public long runId() {
            return id;
        }
    }

    private void onComplete(Task outcomeOf, R value, TaskUsage used, Throwable error) {
        int index = outcomeOf.index;
        Object task = outcomeOf.task;
        lock.lock();
        try {
            if (outcomeOf.settled) {
                return;
            }
            outcomeOf.settled = true;
            unfinished.remove(index);
            if (stopped) {
                return;
            }
            if (error != null) {
                Throwable cause = unwrap(error);
                if (cause instanceof CancellationException && !failures.isEmpty()) {
                    return;
                }
                failures.add(new TaskError(index, count, String.valueOf(task), cause));
                stopped = !keepGoing;
                completed[index % window] = FAILED;
            } else if (value == null) {
                failures.add(new TaskError(index, count, String.valueOf(task),
                        new NullPointerException("the task returned null")));
                stopped = !keepGoing;
                completed[index % window] = FAILED;
            } else {
                completed[index % window] = value;
                usage = usage.plus(used);
            }
            foldReady();
            progress.signalAll();
        } catch (RuntimeException | Error e) {
            // The job's combine or the progress listener threw: the run ends with that failure instead of waiting
            // for a result that will never be folded. An Error too, or the waiting caller would never hear.
            failures.add(new TaskError(index, count, String.valueOf(task), e));
            stopped = true;
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void foldReady() {
        int before = folded;
        foldContiguous();
        if (folded > before) {
            progressListener.progress(folded, count);
        }
    }

    @SuppressWarnings("unchecked")
    private void foldContiguous() {
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
