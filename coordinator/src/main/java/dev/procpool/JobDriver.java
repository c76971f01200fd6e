package dev.procpool;

import dev.procpool.protocol.OneLine;
import dev.procpool.internal.TaskCallback;
import dev.procpool.internal.TaskSink;
import dev.procpool.job.Job;
import dev.procpool.measure.TaskUsage;
import dev.procpool.protocol.FunctionJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs many tasks through a runner's {@link TaskSink}: submits them in chunks, a bounded window ahead of the results,
 * hands results to its {@link Plan} in task order as they arrive, and stops at the first failure unless told to keep
 * going. Memory stays bounded by the window, not by the number of tasks. A whole job ({@link #run}) folds its results
 * with the job's {@code combine}; a function applied to inputs ({@link #map}) collects them in input order.
 *
 * <p>Threading: one instance serves one run, on the thread that called {@link #run} or {@link #map}. Tasks settle on
 * whatever threads the runner uses, and only store their outcome; the plan's fold and the progress listener are
 * called on the calling thread alone, outside the lock. Shared state is guarded by {@code lock}.
 */
final class JobDriver<T> {

    /**
     * Tasks submitted and not yet folded, per worker: enough to keep the pool's deepest queues full. The window
     * stays at least twice the workers, so that every one of many virtual threads has a task.
     */
    private static final int WINDOW_PER_WORKER = 8192;
    private static final int MIN_WINDOW = 1024;
    private static final int MAX_WINDOW = 1 << 16;
    /** Tasks handed to the sink in one call. */
    private static final int CHUNK = 1024;
    private static final Object FAILED = new Object();
    /** A result that is null, where a plan allows one: null in {@code completed} means not completed yet. */
    static final Object NULL = new Object();
    private static final AtomicLong RUN_IDS = new AtomicLong();

    /** This run's id, by which runners tell its tasks from another run's. */
    private final long id = RUN_IDS.incrementAndGet();
    /**
     * What a driver runs: a job whose tasks the sink computes, how many tasks, each task, and what becomes of each
     * result. The driver calls {@link #task} and {@link #fold} on the calling thread, {@link #fold} in task order.
     */
    interface Plan<T> {
        /** What computes each task. */
        Job<T, ?> job();

        int count();

        T task(int index);

        /** Takes the next result in task order. */
        void fold(Object result);

        /** Whether a task may return null; if not, a null result fails its task. */
        boolean nullAllowed();
    }

    /** How a run ended: what failed, what the tasks that succeeded took, and how long it all took. */
    record Outcome(List<TaskError> failures, TaskUsage usage, Duration elapsed) {
    }

    private final TaskSink sink;
    private final Plan<T> plan;
    private final Job<T, ?> job;
    private final int count;
    private final boolean keepGoing;
    private final ProgressListener progressListener;
    private final int window;
    private final Thread caller = Thread.currentThread();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();
    /** Results completed but not folded yet, at {@code index % window}; null where not completed. */
    private final Object[] completed;
    private final List<TaskError> failures = new ArrayList<>();
    private int submitted;
    /** Results taken for folding, in order; the caller folds them outside the lock. */
    private int taken;
    /** What the tasks that succeeded took, summed; guarded by {@code lock}. */
    private TaskUsage usage = TaskUsage.NONE;
    private volatile boolean stopped;

    private JobDriver(TaskSink sink, int workers, Plan<T> plan, boolean keepGoing, ProgressListener progressListener) {
        this.sink = sink;
        this.plan = plan;
        this.job = plan.job();
        this.count = plan.count();
        this.keepGoing = keepGoing;
        this.progressListener = progressListener;
        this.window = window(workers, count);
        this.completed = new Object[Math.max(1, window)];
    }

    /** Tasks submitted and not yet taken at most, for {@code count} tasks on {@code workers} workers. */
    static int window(int workers, int count) {
        long perWorker = Math.min(MAX_WINDOW, Math.max(MIN_WINDOW, (long) workers * WINDOW_PER_WORKER));
        return (int) Math.min(count, Math.max(perWorker, 2L * workers));
    }

    /**
     * Splits {@code job} at {@code size} into about {@code tasks} tasks, runs them, and combines the results in order.
     *
     * @throws JobNotSendableException if the runner refuses the job itself (it cannot travel): nothing ran
     * @throws JobFailedException if a task failed
     */
    static <T, R> JobResult<R> run(TaskSink sink, int workers, Job<T, R> job, long size, int tasks, boolean keepGoing,
            ProgressListener progressListener) {
        if (size < 1 || size > job.maxSize()) {
            throw new IllegalArgumentException("size must be between 1 and " + job.maxSize() + " for job "
                    + job.name() + ", was " + size);
        }
        if (tasks < 1) {
            throw new IllegalArgumentException("tasks must be at least 1, was " + tasks);
        }
        CombiningPlan<T, R> plan = new CombiningPlan<>(job, size, job.taskCount(size, tasks));
        Outcome outcome = new JobDriver<>(sink, workers, plan, keepGoing, progressListener).drive();
        if (!outcome.failures().isEmpty()) {
            throw new JobFailedException(job.name(), outcome.failures());
        }
        return new JobResult<>(job.name(), size, plan.count(), plan.combined(), job.format(plan.combined()),
                outcome.elapsed(), outcome.usage());
    }

    /**
     * Applies {@code function} to every input and returns the outputs in input order. At the first failure the inputs
     * not started are dropped, and what that task failed with is thrown.
     */
    static <I, O> List<O> map(TaskSink sink, int workers, FunctionJob<I, O> function, List<? extends I> inputs) {
        CollectingPlan<I, O> plan = new CollectingPlan<>(function, inputs);
        if (plan.count() == 0) {
            return List.of();
        }
        Outcome outcome = new JobDriver<>(sink, workers, plan, false, ProgressListener.NONE).drive();
        if (!outcome.failures().isEmpty()) {
            Throwable failure = outcome.failures().get(0).cause();
            if (failure instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            throw new ProcPoolException("input " + outcome.failures().get(0).index() + " of " + function.name()
                    + " failed: " + failure, failure);
        }
        return plan.outputs();
    }

    /** Runs the plan to its end, or to its first failure unless keeping going. */
    private Outcome drive() {
        long start = System.nanoTime();
        List<TaskError> failed;
        TaskUsage used;
        lock.lock();
        try {
            while (taken < count && !stopped) {
                if (foldReady()) {
                    continue;
                }
                int room = Math.min(window - (submitted - taken), count - submitted);
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
            failed = List.copyOf(failures);
            used = usage;
        } finally {
            lock.unlock();
        }
        return new Outcome(failed, used, Duration.ofNanos(System.nanoTime() - start));
    }

    private void awaitProgress() {
        try {
            // Bounded so an interrupt or a stuck runner is noticed; tasks themselves may legitimately run long.
            progress.await(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
            failures.add(new TaskError(taken, count, "(waiting)", new WaitInterruptedException(job.name(),
                    WaitInterruptedException.Wait.RESULTS)));
        }
    }

    /** Creates tasks {@code [from, from + n)} and hands them to the sink. Called without the lock. */
    private void submit(int from, int n) {
        List<T> tasks = new ArrayList<>(n);
        List<Task> callbacks = new ArrayList<>(n);
        for (int index = from; index < from + n; index++) {
            T task;
            try {
                task = plan.task(index);
            } catch (RuntimeException e) {
                new Task(index, "(not created)").failed(e);
                continue;
            }
            tasks.add(task);
            callbacks.add(new Task(index, task));
        }
        try {
            sink.execute(job, tasks, callbacks);
        } catch (JobNotSendableException e) {
            // The job itself cannot travel: no task of it can run, and none is to blame. The run ends with why.
            stopped = true;
            throw e;
        } catch (RuntimeException e) {
            callbacks.forEach(callback -> callback.failed(e));
        }
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
        public void succeeded(Object value, TaskUsage used) {
            onComplete(this, value, used, null);
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

    /** Stores a task's outcome and wakes the caller; on the calling thread itself, folds at once. */
    private void onComplete(Task outcomeOf, Object value, TaskUsage used, Throwable error) {
        lock.lock();
        try {
            if (outcomeOf.settled) {
                return;
            }
            outcomeOf.settled = true;
            if (stopped) {
                return;
            }
            int index = outcomeOf.index;
            if (error != null) {
                failures.add(new TaskError(index, count, OneLine.of(outcomeOf.task), unwrap(error)));
                stopped = !keepGoing;
                completed[index % window] = FAILED;
            } else if (value == null && !plan.nullAllowed()) {
                failures.add(new TaskError(index, count, OneLine.of(outcomeOf.task),
                        new NullPointerException("the task returned null")));
                stopped = !keepGoing;
                completed[index % window] = FAILED;
            } else if (value == null) {
                completed[index % window] = NULL;
            } else {
                completed[index % window] = value;
                usage = usage.plus(used);
            }
            if (Thread.currentThread() == caller) {
                // A runner that computes on the calling thread (sequential): fold each result as it comes, so
                // progress is reported task by task.
                foldReady();
            } else if (index == taken || stopped) {
                // Only news the caller can act on wakes it: the result next in order (the ones behind it are folded
                // in the same go) or the end of the run. Waking it for every result would cost a context switch each.
                progress.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Folds every result that is next in task order into the combined result and reports progress, with the lock
     * released around the job's {@code combine} and the listener. Called by the calling thread with the lock held;
     * returns whether it folded anything.
     */
    private boolean foldReady() {
        int from = taken;
        List<Object> ready = new ArrayList<>();
        while (taken < submitted) {
            int slot = taken % window;
            Object result = completed[slot];
            if (result == null) {
                break;
            }
            completed[slot] = null;
            ready.add(result);
            taken++;
        }
        if (ready.isEmpty()) {
            return false;
        }
        boolean combining = failures.isEmpty();
        int done = taken;
        lock.unlock();
        int index = from;
        String stage = "(combining its result)";
        Throwable thrown = null;
        try {
            for (Object result : ready) {
                if (combining && result != FAILED) {
                    plan.fold(result);
                }
                index++;
            }
            index = done - 1;
            stage = "(reporting progress)";
            progressListener.progress(done, count);
        } catch (RuntimeException | Error e) {
            // An Error too: the run must end with it instead of waiting for a result that will never be folded.
            thrown = e;
        } finally {
            lock.lock();
        }
        if (thrown != null) {
            failures.add(new TaskError(index, count, stage, thrown));
            stopped = true;
        }
        return true;
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
