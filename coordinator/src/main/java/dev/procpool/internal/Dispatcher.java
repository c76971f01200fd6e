package dev.procpool.internal;

import dev.procpool.ProcPoolException;
import dev.procpool.protocol.EncodingException;
import dev.procpool.protocol.TaskBatch;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Decides which task goes to which worker, and keeps the books: the queue of tasks waiting for a worker, and
 * for each ready worker the tasks it holds, oldest first. A worker gets more tasks when it has room, never by a
 * split decided up front, so uneven tasks keep every worker busy.
 *
 * <p>How much room a worker has adapts to its tasks ({@link WorkerSlot#adaptiveWindow}), and whatever is queued
 * when a worker has room goes at once, as one batch: nothing waits for a batch to fill.
 *
 * <p>A worker computes its tasks one at a time in the order sent, so the oldest task it holds is the one it is
 * computing: that task's clock runs for time limits, and that task is blamed if the worker dies. A task blamed
 * once (a suspect) waits for an idle worker and runs there alone.
 *
 * <p>Threading: there is no dispatcher thread. Whoever brings news (a submission, results, a ready worker)
 * calls {@link #pump()}, and one thread at a time sends: the others leave a request the sending thread picks up.
 * All books are guarded by {@code lock}; writing happens outside it. Each task leaves the books exactly once,
 * through {@link #finished}, {@link #workerEnded}, {@link #expired} or {@link #drainQueue}, and whoever removes it
 * settles it.
 */
public final class Dispatcher {

    private final int fixedWindow;
    private final int maxTasksPerWorker;
    private final LongSupplier clock;
    private final Consumer<WorkerProcess> retiring;
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<PendingTask> queue = new ArrayDeque<>();
    private final Map<WorkerProcess, WorkerSlot> slots = new LinkedHashMap<>();
    private final AtomicBoolean pumping = new AtomicBoolean();
    private volatile boolean pumpRequested;
    private boolean stopping;

    /** What {@link #expired} took off the books: a task past its time limit and the worker computing it. */
    public record Expired(WorkerProcess worker, PendingTask task) {
    }

    /**
     * @param fixedWindow tasks a worker may hold at once; 0 to adapt to the tasks' duration
     * @param maxTasksPerWorker tasks after which a worker is retired and replaced; 0 for no limit
     * @param clock nanosecond time source for time limits
     * @param retiring told when a worker reaches its quota, so a replacement can start
     */
    public Dispatcher(int fixedWindow, int maxTasksPerWorker, LongSupplier clock, Consumer<WorkerProcess> retiring) {
        if (fixedWindow < 0) {
            throw new IllegalArgumentException("fixedWindow must be 0 (adaptive) or more, was " + fixedWindow);
        }
        this.fixedWindow = fixedWindow;
        this.maxTasksPerWorker = maxTasksPerWorker;
        this.clock = clock;
        this.retiring = retiring;
    }

    /** Queues new tasks behind the others and sends what can be sent; returns false if stopping. */
    public boolean submit(List<PendingTask> tasks) {
        lock.lock();
        try {
            if (stopping) {
                return false;
            }
            queue.addAll(tasks);
        } finally {
            lock.unlock();
        }
        pump();
        return true;
    }

    /**
     * Queues tasks that must run again ahead of new ones, keeping their order; returns false, queuing nothing, if
     * the dispatcher is stopping.
     */
    public boolean retry(List<PendingTask> tasks) {
        lock.lock();
        try {
            if (stopping) {
                return false;
            }
            for (int i = tasks.size() - 1; i >= 0; i--) {
                queue.addFirst(tasks.get(i));
            }
        } finally {
            lock.unlock();
        }
        pump();
        return true;
    }

    /** A worker completed its handshake and can take tasks. */
    public void workerReady(WorkerProcess worker) {
        lock.lock();
        try {
            slots.put(worker, new WorkerSlot(worker));
        } finally {
            lock.unlock();
        }
        pump();
    }

    /**
     * Takes the tasks a worker answered off the books, with the time it spent computing them; the entry for an
     * id it did not hold is null. Call {@link #pump()} once their outcomes are settled.
     */
    public PendingTask[] finished(WorkerProcess worker, long[] ids, long busyNanos) {
        PendingTask[] tasks = new PendingTask[ids.length];
        lock.lock();
        try {
            WorkerSlot slot = slots.get(worker);
            if (slot == null) {
                return tasks;
            }
            for (int i = 0; i < ids.length; i++) {
                tasks[i] = settle(slot, ids[i]);
            }
            slot.measured(busyNanos, ids.length);
            return tasks;
        } finally {
            lock.unlock();
        }
    }

    /** Takes one answered task off the books; null if the worker did not hold it. */
    public PendingTask finished(WorkerProcess worker, long taskId) {
        lock.lock();
        try {
            WorkerSlot slot = slots.get(worker);
            return slot == null ? null : settle(slot, taskId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the answered task off a worker's books. A worker answers in the order it was sent tasks, so the answer
     * must be for its oldest task; any other id is an answer it owes nobody, and null says so.
     */
    private PendingTask settle(WorkerSlot slot, long taskId) {
        PendingTask oldest = slot.held.peekFirst();
        if (oldest == null || oldest.id() != taskId) {
            return null;
        }
        takeOff(slot, oldest);
        return oldest;
    }

    /** Removes a held task from a worker's books, and keeps what the books say about that worker true. */
    private void takeOff(WorkerSlot slot, PendingTask task) {
        boolean wasComputing = slot.held.peekFirst() == task;
        slot.held.remove(task);
        if (wasComputing) {
            // Its successor, if any, starts computing now.
            slot.runningSince = clock.getAsLong();
        }
        if (task.isSuspect()) {
            slot.isolating = false;
        }
        if (slot.held.isEmpty()) {
            slot.worker.transition(WorkerState.READY);
        }
    }

    /**
     * Takes off a worker's books a task that never reached it (it could not be encoded); false if the task is not
     * on them any more. The room it leaves is filled on the next pump.
     */
    private boolean withdraw(WorkerProcess worker, PendingTask task) {
        lock.lock();
        try {
            WorkerSlot slot = slots.get(worker);
            if (slot == null || !slot.held.contains(task)) {
                return false;
            }
            takeOff(slot, task);
            pumpRequested = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * What a worker that ended left on the books: the tasks it held, oldest (the one computing) first, and
     * whether it was being killed for a task past its time limit (which {@link #expired} already took off).
     */
    public record Leftovers(List<PendingTask> held, boolean timedOut) {
    }

    /** Takes a worker that is gone off the books, with every task it held. */
    public Leftovers workerEnded(WorkerProcess worker) {
        lock.lock();
        try {
            WorkerSlot slot = slots.remove(worker);
            return slot == null ? new Leftovers(List.of(), false) : new Leftovers(new ArrayList<>(slot.held), slot.timedOut);
        } finally {
            lock.unlock();
        }
    }

    /** Whether a worker is being killed for a task past its time limit, so its late answers are expected. */
    public boolean isTimedOut(WorkerProcess worker) {
        lock.lock();
        try {
            WorkerSlot slot = slots.get(worker);
            return slot != null && slot.timedOut;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes off the books every task that has been computing for longer than {@code limit}, and drains its worker
     * (it takes no new tasks): the caller kills that worker, and its other tasks come back through
     * {@link #workerEnded}.
     */
    public List<Expired> expired(Duration limit) {
        lock.lock();
        try {
            List<Expired> expired = new ArrayList<>();
            long now = clock.getAsLong();
            for (WorkerSlot slot : slots.values()) {
                if (!slot.timedOut && !slot.held.isEmpty() && now - slot.runningSince > limit.toNanos()) {
                    PendingTask oldest = slot.held.pollFirst();
                    slot.timedOut = true;
                    slot.worker.transition(WorkerState.DRAINING);
                    expired.add(new Expired(slot.worker, oldest));
                }
            }
            return expired;
        } finally {
            lock.unlock();
        }
    }

    /** How many workers can take tasks. */
    public int readyWorkers() {
        lock.lock();
        try {
            return (int) slots.values().stream().filter(WorkerSlot::takesTasks).count();
        } finally {
            lock.unlock();
        }
    }

    /** Takes every queued task off the books. */
    public List<PendingTask> drainQueue() {
        lock.lock();
        try {
            List<PendingTask> drained = new ArrayList<>(queue);
            queue.clear();
            return drained;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops dispatching and waits up to {@code millis} for a send in progress to finish; afterwards nothing
     * writes to workers but the caller. Returns whether the send finished in time.
     */
    public boolean stop(long millis) {
        lock.lock();
        try {
            stopping = true;
        } finally {
            lock.unlock();
        }
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!pumping.compareAndSet(false, true)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(100_000);
        }
        return true; // pumping stays taken: no one sends again
    }

    /**
     * Sends every task that can go now. One thread sends at a time; a thread that finds another sending leaves a
     * request, which the sender picks up before it lets go, so no news is lost.
     */
    public void pump() {
        pumpRequested = true;
        while (pumpRequested && pumping.compareAndSet(false, true)) {
            try {
                pumpRequested = false;
                Round round;
                lock.lock();
                try {
                    if (stopping) {
                        return;
                    }
                    round = plan();
                } finally {
                    lock.unlock();
                }
                round.newlyRetiring.forEach(retiring);
                round.batches.forEach(this::send);
                round.finished.forEach(Dispatcher::shutDown);
            } finally {
                pumping.set(false);
            }
        }
    }

    /** What one pump sends, outside the lock. */
    private record Round(Map<WorkerProcess, List<PendingTask>> batches, List<WorkerProcess> newlyRetiring,
            List<WorkerProcess> finished) {
    }

    /** Moves queued tasks onto the books of workers with room, and retires full workers. Called with the lock held. */
    private Round plan() {
        Round round = new Round(new LinkedHashMap<>(), new ArrayList<>(), new ArrayList<>());
        for (WorkerSlot slot : new ArrayList<>(slots.values())) {
            fill(slot, round);
            if (slot.retiring && slot.held.isEmpty()) {
                slots.remove(slot.worker);
                round.finished.add(slot.worker);
            }
        }
        return round;
    }

    private void fill(WorkerSlot slot, Round round) {
        int window = slot.window(fixedWindow);
        if (!slot.takesTasks()) {
            return;
        }
        while (!slot.isolating && slot.held.size() < window && !queue.isEmpty()) {
            PendingTask task = queue.peekFirst();
            if (task.isAbandoned()) {
                queue.pollFirst();
                continue;
            }
            if (task.isSuspect() && !slot.held.isEmpty()) {
                return; // a suspect waits for an idle worker; this one stops taking tasks until then
            }
            queue.pollFirst();
            if (slot.held.isEmpty()) {
                slot.runningSince = clock.getAsLong();
                slot.worker.transition(WorkerState.BUSY);
            }
            slot.held.addLast(task);
            slot.isolating = task.isSuspect();
            round.batches.computeIfAbsent(slot.worker, w -> new ArrayList<>()).add(task);
            if (maxTasksPerWorker > 0 && ++slot.assigned >= maxTasksPerWorker) {
                slot.retiring = true;
                slot.worker.transition(WorkerState.DRAINING);
                round.newlyRetiring.add(slot.worker);
                return;
            }
        }
    }

    /** Sends a worker its new tasks, one batch per run of tasks of the same job, and flushes once. */
    private void send(WorkerProcess worker, List<PendingTask> tasks) {
        try {
            int from = 0;
            while (from < tasks.size()) {
                String job = tasks.get(from).job();
                int to = from + 1;
                while (to < tasks.size() && tasks.get(to).job().equals(job)) {
                    to++;
                }
                sendBatch(worker, job, tasks.subList(from, to));
                from = to;
            }
            worker.flush();
        } catch (IOException e) {
            // The worker's stdin broke: it is dying, and its reader thread will report the end and give back
            // every task it held, these included.
        }
    }

    private void sendBatch(WorkerProcess worker, String job, List<PendingTask> tasks) throws IOException {
        long[] ids = new long[tasks.size()];
        Object[] payloads = new Object[tasks.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tasks.get(i).id();
            payloads[i] = tasks.get(i).task();
        }
        try {
            worker.send(new TaskBatch(job, ids, payloads));
        } catch (EncodingException batchFailed) {
            // Some task cannot travel: send the others, and fail each one that cannot on its own.
            for (PendingTask task : tasks) {
                try {
                    worker.send(TaskBatch.of(task.id(), job, task.task()));
                } catch (EncodingException e) {
                    if (withdraw(worker, task)) {
                        task.fail(new ProcPoolException("task " + task.describe() + " of job " + task.job()
                                + " cannot be sent to a worker: " + e.getMessage()
                                + "; list the records and enums it holds in the job's wireTypes()", e));
                    }
                }
            }
        }
    }

    private static void shutDown(WorkerProcess worker) {
        worker.askToShutDown();
        worker.closeInput();
    }
}
