package dev.procpool.internal;

import dev.procpool.ProcPoolException;
import dev.procpool.protocol.EncodingException;
import dev.procpool.protocol.Shutdown;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Decides which task goes to which worker, and keeps the books: the queue of tasks waiting for a worker, and
 * for each ready worker the tasks it holds, oldest first. A worker gets its next task when it has room (at most
 * {@code window} in flight), never by a split decided up front, so uneven tasks keep every worker busy.
 *
 * <p>A worker computes its tasks one at a time in the order sent, so the oldest task it holds is the one it is
 * computing: that task's clock runs for time limits, and that task is blamed if the worker dies. A task blamed
 * once (a suspect) waits for an idle worker and runs there alone.
 *
 * <p>Threading: one daemon thread ({@code procpool-dispatcher}) does all writing to workers while the pool
 * runs, outside the lock; every other method may be called from any thread. All state is guarded by
 * {@code lock}. Each task leaves the books exactly once, through {@link #finished}, {@link #workerEnded},
 * {@link #expired} or {@link #drainQueue}, and whoever removes it completes its future.
 */
public final class Dispatcher {

    private final int window;
    private final int maxTasksPerWorker;
    private final LongSupplier clock;
    private final Consumer<WorkerProcess> retiring;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<PendingTask> queue = new ArrayDeque<>();
    private final Map<WorkerProcess, Slot> slots = new LinkedHashMap<>();
    private final Thread thread;
    private boolean stopping;

    /** One ready worker's books. Guarded by the dispatcher's lock. */
    private static final class Slot {
        final WorkerProcess worker;
        final LinkedHashMap<Long, PendingTask> held = new LinkedHashMap<>();
        /** Tasks ever given to this worker, for recycling. */
        int assigned;
        /** When the oldest held task started computing, by the dispatcher's clock. */
        long runningSince;
        /** It holds a suspect, which runs alone. */
        boolean isolating;
        /** It takes no new tasks: it reached its task quota, or is being killed. */
        boolean closed;
        /** It reached its quota: once empty it is told to shut down. */
        boolean retiring;

        Slot(WorkerProcess worker) {
            this.worker = worker;
        }
    }

    /** What {@link #expired} took off the books: a task past its time limit and the worker computing it. */
    public record Expired(WorkerProcess worker, PendingTask task) {
    }

    /**
     * @param window tasks a worker may hold at once
     * @param maxTasksPerWorker tasks after which a worker is retired and replaced; 0 for no limit
     * @param clock nanosecond time source for time limits
     * @param retiring told (from the dispatcher thread) when a worker reaches its quota, so a replacement can start
     */
    public Dispatcher(int window, int maxTasksPerWorker, LongSupplier clock, Consumer<WorkerProcess> retiring) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, was " + window);
        }
        this.window = window;
        this.maxTasksPerWorker = maxTasksPerWorker;
        this.clock = clock;
        this.retiring = retiring;
        this.thread = new Thread(this::run, "procpool-dispatcher");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Queues a new task behind the others; returns false if the dispatcher is stopping. */
    public boolean submit(PendingTask task) {
        lock.lock();
        try {
            if (stopping) {
                return false;
            }
            queue.addLast(task);
            changed.signal();
            return true;
        } finally {
            lock.unlock();
        }
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
            changed.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** A worker completed its handshake and can take tasks. */
    public void workerReady(WorkerProcess worker) {
        lock.lock();
        try {
            slots.put(worker, new Slot(worker));
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Takes the task a worker answered off the books; null if it holds no task of that id. */
    public PendingTask finished(WorkerProcess worker, long taskId) {
        lock.lock();
        try {
            Slot slot = slots.get(worker);
            PendingTask task = slot == null ? null : slot.held.remove(taskId);
            if (task != null) {
                // Its successor, if any, starts computing now.
                slot.runningSince = clock.getAsLong();
                if (task.isSuspect()) {
                    slot.isolating = false;
                }
                if (slot.held.isEmpty()) {
                    worker.transition(WorkerState.READY);
                }
                changed.signal();
            }
            return task;
        } finally {
            lock.unlock();
        }
    }

    /** Takes a worker that is gone off the books, with every task it held, oldest (the one computing) first. */
    public List<PendingTask> workerEnded(WorkerProcess worker) {
        lock.lock();
        try {
            Slot slot = slots.remove(worker);
            return slot == null ? List.of() : new ArrayList<>(slot.held.values());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes off the books every task that has been computing for longer than {@code limit}, and closes its
     * worker to new tasks: the caller kills that worker, and its other tasks come back through
     * {@link #workerEnded}.
     */
    public List<Expired> expired(Duration limit) {
        lock.lock();
        try {
            List<Expired> expired = new ArrayList<>();
            long now = clock.getAsLong();
            for (Slot slot : slots.values()) {
                if (!slot.closed && !slot.held.isEmpty() && now - slot.runningSince > limit.toNanos()) {
                    PendingTask oldest = slot.held.values().iterator().next();
                    slot.held.remove(oldest.id());
                    slot.closed = true;
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
            return (int) slots.values().stream().filter(slot -> !slot.closed).count();
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
     * Stops dispatching and waits up to {@code millis} for the dispatcher thread to finish what it is writing;
     * afterwards nothing writes to workers but the caller. Returns whether the thread ended in time.
     */
    public boolean stop(long millis) throws InterruptedException {
        lock.lock();
        try {
            stopping = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        thread.join(millis);
        return !thread.isAlive();
    }

    private void run() {
        while (true) {
            Round round;
            lock.lock();
            try {
                round = plan();
                while (round.isEmpty() && !stopping) {
                    changed.await(1, TimeUnit.SECONDS);
                    round = plan();
                }
                if (stopping) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            round.newlyRetiring.forEach(retiring);
            round.batches.forEach(this::send);
            round.finished.forEach(Dispatcher::shutDown);
        }
    }

    /** What one pass of the dispatcher thread does outside the lock. */
    private record Round(Map<WorkerProcess, List<PendingTask>> batches, List<WorkerProcess> newlyRetiring,
            List<WorkerProcess> finished) {

        boolean isEmpty() {
            return batches.isEmpty() && newlyRetiring.isEmpty() && finished.isEmpty();
        }
    }

    /** Moves queued tasks onto the books of workers with room, and retires full workers. Called with the lock held. */
    private Round plan() {
        Round round = new Round(new LinkedHashMap<>(), new ArrayList<>(), new ArrayList<>());
        for (Slot slot : new ArrayList<>(slots.values())) {
            fill(slot, round);
            if (slot.retiring && slot.held.isEmpty()) {
                slots.remove(slot.worker);
                round.finished.add(slot.worker);
            }
        }
        return round;
    }

    private void fill(Slot slot, Round round) {
        while (!slot.closed && !slot.isolating && slot.held.size() < window && !queue.isEmpty()) {
            PendingTask task = queue.peekFirst();
            if (task.isSettled()) {
                queue.pollFirst(); // cancelled while it waited
                continue;
            }
            if (task.isSuspect() && !slot.held.isEmpty()) {
                return; // a suspect waits for an idle worker; this one stops taking tasks until then
            }
            queue.pollFirst();
            if (slot.held.isEmpty()) {
                slot.runningSince = clock.getAsLong();
            }
            slot.held.put(task.id(), task);
            slot.isolating = task.isSuspect();
            round.batches.computeIfAbsent(slot.worker, w -> new ArrayList<>()).add(task);
            slot.worker.transition(WorkerState.BUSY);
            if (maxTasksPerWorker > 0 && ++slot.assigned >= maxTasksPerWorker) {
                slot.closed = true;
                slot.retiring = true;
                slot.worker.transition(WorkerState.DRAINING);
                round.newlyRetiring.add(slot.worker);
            }
        }
    }

    private void send(WorkerProcess worker, List<PendingTask> tasks) {
        try {
            for (PendingTask task : tasks) {
                try {
                    worker.send(task.request());
                } catch (EncodingException e) {
                    if (finished(worker, task.id()) == task) {
                        task.fail(new ProcPoolException("task " + task.describe() + " of job " + task.job()
                                + " cannot be sent to a worker: " + e.getMessage()
                                + "; list the classes it holds in the job's wireTypes()", e));
                    }
                }
            }
            worker.flush();
        } catch (IOException e) {
            // The worker's stdin broke: it is dying, and its reader thread will report the end and give back
            // every task it held, these included.
        }
    }

    private static void shutDown(WorkerProcess worker) {
        try {
            worker.send(Shutdown.INSTANCE);
            worker.flush();
        } catch (IOException | EncodingException e) {
            // It is going anyway: closing its stdin ends it too.
        }
        worker.closeInput();
    }
}
