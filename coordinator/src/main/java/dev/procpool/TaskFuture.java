package dev.procpool;

import dev.procpool.internal.TaskCallback;
import dev.procpool.measure.TaskUsage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The future {@code submit} hands to a user, and the callback that settles it. Whoever settles the task (a pool's
 * reader thread) only records the outcome; the future itself is completed, and so every stage chained to it run,
 * either by a thread waiting for it in {@code get} or {@code join} (the user's own thread, which wakes up anyway), or
 * else on the runner's completion executor. So users' code never runs on the thread that settled the task, and a
 * caller blocked in {@code get} is woken directly, with no hand-off in between.
 *
 * <p>Thread-safe. The first outcome is recorded (a task past its time limit on a thread fails at the limit, and what
 * it returns later is dropped); the future is completed once, by whoever claims it first.
 */
final class TaskFuture<T> extends CompletableFuture<T> implements TaskCallback {

    /** What the task came to, before the future is completed with it. */
    private record Outcome(Object value, Throwable error) {
    }

    private static final VarHandle WAITING;
    private static final VarHandle OUTCOME;

    static {
        try {
            WAITING = MethodHandles.lookup().findVarHandle(TaskFuture.class, "waiting", int.class);
            OUTCOME = MethodHandles.lookup().findVarHandle(TaskFuture.class, "outcome", Outcome.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Executor completions;
    /** How long the task may compute; null for the runner's own limit. */
    private final Duration timeLimit;
    /**
     * Completed once the outcome is recorded or the future is done, to wake the threads waiting in get or join. Only
     * those threads ever wait on it (it is never handed out), so completing it runs nothing but their wake-ups.
     */
    private final CompletableFuture<Void> recorded = new CompletableFuture<>();
    private final AtomicBoolean claimed = new AtomicBoolean();
    private volatile Outcome outcome;
    /** What stops the task once it is cancelled; null until the runner says. */
    private volatile Runnable stop;
    /** Threads blocked in get or join, counted through {@link #WAITING}. */
    private volatile int waiting;

    /** @param completions where the future is completed when no thread is waiting for it */
    TaskFuture(Executor completions) {
        this(completions, null);
    }

    /**
     * @param completions where the future is completed when no thread is waiting for it
     * @param timeLimit how long the task may compute; null for the runner's own limit
     */
    TaskFuture(Executor completions, Duration timeLimit) {
        this.completions = completions;
        this.timeLimit = timeLimit;
        // However the future is completed (complete, completeAsync, orTimeout, cancel...), waiters hear of it: some of
        // CompletableFuture's own paths complete it without calling the public methods below.
        super.whenComplete((value, error) -> wakeWaiters());
    }

    @Override
    public void succeeded(Object value, TaskUsage usage) {
        settle(new Outcome(value, null));
    }

    @Override
    public void failed(Throwable error) {
        settle(new Outcome(null, error));
    }

    @Override
    public boolean abandoned() {
        return isDone();
    }

    @Override
    public Duration timeLimit() {
        return timeLimit;
    }

    @Override
    public void whenCancelled(Runnable stop) {
        this.stop = stop;
        if (isCancelled()) {
            stop.run(); // cancelled before the runner asked
        }
    }

    private void settle(Outcome settled) {
        if (!OUTCOME.compareAndSet(this, (Outcome) null, settled)) {
            return; // settled already: a time limit on a thread fails the task, and its late result is dropped
        }
        // Read after the write: a waiter registers before it reads the outcome, so one of the two sees the other.
        if (waiting > 0) {
            recorded.complete(null);
        } else {
            try {
                completions.execute(this::completeFromOutcome);
            } catch (RejectedExecutionException e) {
                completeFromOutcome(); // the executor has shut down (the pool is closed): here is better than never
            }
        }
    }

    /** Completes the future with the recorded outcome, unless someone already has. */
    @SuppressWarnings("unchecked")
    private void completeFromOutcome() {
        Outcome settled = outcome;
        if (settled != null && claimed.compareAndSet(false, true)) {
            if (settled.error == null) {
                super.complete((T) settled.value);
            } else {
                super.completeExceptionally(settled.error);
            }
        }
    }

    /**
     * Waits until the outcome is recorded or the future is done, up to {@code nanos} (negative: no limit), then
     * completes the future on this thread if no one has yet.
     */
    private void await(long nanos, boolean interruptible) throws InterruptedException {
        if (isDone()) {
            return;
        }
        WAITING.getAndAdd(this, 1);
        try {
            if (outcome == null && !isDone()) {
                if (nanos < 0 && !interruptible) {
                    recorded.join();
                } else if (nanos < 0) {
                    recorded.get();
                } else {
                    recorded.get(nanos, TimeUnit.NANOSECONDS);
                }
            }
        } catch (ExecutionException e) {
            throw new AssertionError("the wake-up signal completes normally", e);
        } catch (TimeoutException e) {
            // Out of time: the caller finds the future not done, and says so.
        } finally {
            WAITING.getAndAdd(this, -1);
            completeFromOutcome();
            if (outcome != null) {
                // Another thread claimed the completion and is storing the result this very moment (nanoseconds):
                // wait for it, so the caller finds the future done.
                while (!isDone()) {
                    Thread.yield();
                }
            }
        }
    }

    private void wakeWaiters() {
        recorded.complete(null);
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        await(-1, true);
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        await(Math.max(0, unit.toNanos(timeout)), true);
        return super.get(0, TimeUnit.NANOSECONDS);
    }

    @Override
    public T join() {
        try {
            await(-1, false);
        } catch (InterruptedException e) {
            throw new AssertionError("join waits uninterruptibly", e);
        }
        return super.join();
    }

    // Completed by anyone else (the user, a time-out they asked for, a cancel): waiters must hear of it too.

    @Override
    public boolean complete(T value) {
        boolean completed = super.complete(value);
        wakeWaiters();
        return completed;
    }

    @Override
    public boolean completeExceptionally(Throwable error) {
        boolean completed = super.completeExceptionally(error);
        wakeWaiters();
        return completed;
    }

    /**
     * Cancels the task: a task still queued never runs, and a task computing in a worker process stops, its worker
     * killed and replaced (a thread cannot be stopped; on threads a running task runs on, its result unused). See
     * {@link Runner#submit}.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        wakeWaiters();
        Runnable stopping = stop;
        if (cancelled && stopping != null) {
            stopping.run();
        }
        return cancelled;
    }

    @Override
    public void obtrudeValue(T value) {
        super.obtrudeValue(value);
        wakeWaiters();
    }

    @Override
    public void obtrudeException(Throwable error) {
        super.obtrudeException(error);
        wakeWaiters();
    }

    /** Stages chained to this future are plain futures: the waiting trick is this future's alone. */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
