package dev.procpool.internal;

import dev.procpool.protocol.EncodingException;
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
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Keeps the queue of tasks waiting for a worker and the books of what each ready worker holds, and sends tasks to
 * workers with room: one shared queue, from which each worker takes work when it has room, so uneven tasks keep
 * every worker busy.
 *
 * <p>How much room a worker has is its {@link WindowPolicy window}, and whatever is queued when a worker has room
 * goes at once, as one batch: nothing waits for a batch to fill.
 *
 * <p>A worker computes its tasks one at a time in the order sent, so the oldest task it holds is the one it is
 * computing: that task's clock runs for time limits, and that task is blamed if the worker dies. A task blamed
 * once (a suspect) waits for an idle worker and runs there alone.
 *
 * <p>It settles no task: each task leaves the books exactly once, through {@link #finished}, {@link #workerEnded},
 * {@link #expired}, {@link #drainQueue} or as unsendable, and goes back to the caller, who settles it.
 *
 * <p>Threading: there is no dispatcher thread. Whoever brings news (a submission, results, a ready worker)
 * calls {@link #pump()}, and one thread at a time sends: the others leave a request the sending thread picks up.
 * All books are guarded by {@code lock}; writing happens outside it.
 */
final class Dispatcher {

    private final WindowPolicy windows;
    private final int maxTasksPerWorker;
    private final Ticker ticker;
    private final Consumer<WorkerConnection> retiring;
    private final TaskSender sender;
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<PendingTask> queue = new ArrayDeque<>();
    private final Map<WorkerConnection, WorkerSlot> slots = new LinkedHashMap<>();
    private final AtomicBoolean pumping = new AtomicBoolean();
    private volatile boolean pumpRequested;
    /** The queue's length as of its last change under the lock: read without it, to skip pumps with nothing to send. */
    private volatile int queued;
    private boolean stopping;

    /** What {@link #expired} took off the books: a task past its time limit and the worker computing it. */
    record Expired(WorkerConnection worker, PendingTask task) {
    }

    /**
     * What a worker that ended left on the books: the tasks it held, oldest (the one computing) first, and where it
     * stood when it ended.
     */
    record Leftovers(List<PendingTask> held, Standing standing) {
    }

    /**
     * @param windows how many tasks a worker may hold at once
     * @param maxTasksPerWorker tasks after which a worker is retired and replaced; 0 for no limit
     * @param ticker time source for time limits
     * @param retiring told when a worker reaches its quota, so a replacement can start
     * @param unsendable given each task that could not be encoded, once it is off the books
     * @param delivery sends each worker the jobs it does not hold yet, before their tasks
     */
    Dispatcher(WindowPolicy windows, int maxTasksPerWorker, Ticker ticker, Consumer<WorkerConnection> retiring,
            BiConsumer<PendingTask, EncodingException> unsendable, TicketDelivery delivery) {
        this.windows = windows;
        this.maxTasksPerWorker = maxTasksPerWorker;
        this.ticker = ticker;
        this.retiring = retiring;
        this.sender = new TaskSender((worker, task) -> withdraw(worker, task), unsendable, delivery);
    }

    /** Queues new tasks behind the others and sends what can be sent; returns false, queuing nothing, if stopping. */
    boolean submit(List<PendingTask> tasks) {
        lock.lock();
        try {
            if (stopping) {
                return false;
            }
            queue.addAll(tasks);
            queued = queue.size();
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
    boolean retry(List<PendingTask> tasks) {
        lock.lock();
        try {
            if (stopping) {
                return false;
            }
            for (int i = tasks.size() - 1; i >= 0; i--) {
                queue.addFirst(tasks.get(i));
            }
            queued = queue.size();
        } finally {
            lock.unlock();
        }
        pump();
        return true;
    }

    /** A worker completed its handshake and can take tasks. */
    void workerReady(WorkerConnection worker) {
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
    PendingTask[] finished(WorkerConnection worker, long[] ids, long busyNanos) {
        PendingTask[] tasks = new PendingTask[ids.length];
        lock.lock();
        try {
            WorkerSlot slot = slots.get(worker);
            if (slot == null) {
                return tasks;
            }
            for (int i = 0; i < ids.length; i++) {
                tasks[i] = answered(slot, ids[i]);
            }
            measured(tasks, busyNanos);
            return tasks;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Times the jobs of answered tasks by the worker's busy time for them. A batch of one job's tasks times that job
     * exactly; a batch that mixes jobs (at a job's first or last tasks) times each as if the whole batch were its own:
     * too long, never too short, so a window shrinks rather than piles tasks up.
     */
    private static void measured(PendingTask[] tasks, long busyNanos) {
        int from = 0;
        while (from < tasks.length) {
            if (tasks[from] == null) {
                from++;
                continue;
            }
            JobTicket job = tasks[from].ticket();
            int to = from + 1;
            while (to < tasks.length && tasks[to] != null && tasks[to].ticket() == job) {
                to++;
            }
            job.duration().measured(busyNanos, to - from);
            from = to;
        }
    }

    /** Takes one answered task off the books; null if the worker did not hold it. */
    PendingTask finished(WorkerConnection worker, long taskId) {
        lock.lock();
        try {
            WorkerSlot slot = slots.get(worker);
            return slot == null ? null : answered(slot, taskId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the answered task off a worker's books. A worker answers in the order it was sent tasks, so the answer
     * must be for its oldest task; any other id is an answer it owes nobody, and null says so.
     */
    private PendingTask answered(WorkerSlot slot, long taskId) {
        PendingTask oldest = slot.computing();
        if (oldest == null || oldest.id() != taskId) {
            return null;
        }
        takeOff(slot, oldest);
        return oldest;
    }

    /** Removes a held task from a worker's books, and keeps what the books say about that worker true. */
    private void takeOff(WorkerSlot slot, PendingTask task) {
        boolean wasComputing = slot.computing() == task;
        slot.release(task);
        if (wasComputing) {
            // Its successor, if any, starts computing now.
            slot.runningSince = ticker.nanoTime();
        }
        if (task.isSuspect() && slot.standing() == Standing.ISOLATING) {
            slot.moveTo(Standing.ACTIVE);
        }
        if (slot.standing() == Standing.RETIRING && slot.holdsNothing()) {
            pumpRequested = true; // it is due to be told to shut down
        }
    }

    /**
     * Takes off a worker's books a task that never reached it (it could not be encoded); false if the task is not
     * on them any more. The room it leaves is filled on the next pump.
     */
    private boolean withdraw(WorkerConnection worker, PendingTask task) {
        lock.lock();
        try {
            WorkerSlot slot = slots.get(worker);
            if (slot == null || !slot.holds(task)) {
                return false;
            }
            takeOff(slot, task);
            pumpRequested = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Takes a worker that is gone off the books, with every task it held. */
    Leftovers workerEnded(WorkerConnection worker) {
        lock.lock();
        try {
            WorkerSlot slot = slots.remove(worker);
            return slot == null ? new Leftovers(List.of(), Standing.ACTIVE)
                    : new Leftovers(slot.heldTasks(), slot.standing());
        } finally {
            lock.unlock();
        }
    }

    /** Whether a worker is being killed, so its late answers are expected. */
    boolean isKilled(WorkerConnection worker) {
        lock.lock();
        try {
            WorkerSlot slot = slots.get(worker);
            return slot != null && slot.standing() == Standing.KILLED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes off the books every task that has been computing for longer than its time limit, and marks its worker
     * killed (it takes no new tasks): the caller kills that worker, and its other tasks come back through
     * {@link #workerEnded}.
     */
    List<Expired> expired() {
        lock.lock();
        try {
            List<Expired> expired = new ArrayList<>();
            long now = ticker.nanoTime();
            for (WorkerSlot slot : slots.values()) {
                PendingTask computing = slot.computing();
                if (slot.standing() != Standing.KILLED && computing != null && computing.limit() != null
                        && now - slot.runningSince > computing.limit().toNanos()) {
                    slot.release(computing);
                    slot.moveTo(Standing.KILLED);
                    expired.add(new Expired(slot.worker, computing));
                }
            }
            return expired;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a cancelled task off the books if a worker is computing it, and marks that worker killed: the caller kills
     * it, and its other tasks come back through {@link #workerEnded}. Returns that worker, or null if no worker is
     * computing the task (a queued task is skipped as abandoned; one held behind another is answered and dropped).
     */
    WorkerConnection cancelled(PendingTask task) {
        lock.lock();
        try {
            for (WorkerSlot slot : slots.values()) {
                if (slot.standing() != Standing.KILLED && slot.computing() == task) {
                    slot.release(task);
                    slot.moveTo(Standing.KILLED);
                    return slot.worker;
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** How many workers can take tasks. */
    int readyWorkers() {
        lock.lock();
        try {
            int ready = 0;
            for (WorkerSlot slot : slots.values()) {
                if (!slot.standing().isLeaving() && slot.worker.state() == ConnectionState.READY) {
                    ready++;
                }
            }
            return ready;
        } finally {
            lock.unlock();
        }
    }

    /** Takes every queued task off the books. */
    List<PendingTask> drainQueue() {
        lock.lock();
        try {
            List<PendingTask> drained = new ArrayList<>(queue);
            queue.clear();
            queued = 0;
            return drained;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops dispatching and waits up to {@code timeout} for a send in progress to finish; afterwards nothing writes
     * to workers but the caller. Returns whether the send finished in time.
     */
    boolean stop(Duration timeout) {
        lock.lock();
        try {
            stopping = true;
        } finally {
            lock.unlock();
        }
        long deadline = System.nanoTime() + timeout.toNanos(); // a real wait: not the ticker's time
        while (!pumping.compareAndSet(false, true)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(100_000);
        }
        return true; // pumping stays taken: no one sends again
    }

    /**
     * Pumps if anything may be waiting to be sent: tasks queued, or a retired worker to be told to shut down. What a
     * reader thread calls after results: with nothing queued (a caller submitting one task at a time), it takes no
     * lock. A submission racing this check pumps by itself.
     */
    void pumpIfNeeded() {
        if (queued > 0 || pumpRequested) {
            pump();
        }
    }

    /**
     * Sends every task that can go now. One thread sends at a time; a thread that finds another sending leaves a
     * request, which the sender picks up before it lets go, so no news is lost.
     */
    void pump() {
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
                round.newcomers.forEach(sender::welcome);
                round.batches.forEach(sender::send);
                round.finished.forEach(TaskSender::shutDown);
            } finally {
                pumping.set(false);
            }
        }
    }

    /** What one pump sends, outside the lock. */
    private record Round(Map<WorkerConnection, List<PendingTask>> batches, List<WorkerConnection> newlyRetiring,
            List<WorkerConnection> finished, List<WorkerConnection> newcomers) {
    }

    /** Moves queued tasks onto the books of workers with room, and retires full workers. Called with the lock held. */
    private Round plan() {
        Round round = new Round(new LinkedHashMap<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (WorkerSlot slot : new ArrayList<>(slots.values())) {
            if (!slot.welcomed) {
                slot.welcomed = true;
                round.newcomers.add(slot.worker);
            }
            fill(slot, round);
            if (slot.standing() == Standing.RETIRING && slot.holdsNothing()) {
                slot.moveTo(Standing.RETIRED);
                round.finished.add(slot.worker);
            }
        }
        queued = queue.size();
        return round;
    }

    private void fill(WorkerSlot slot, Round round) {
        while (slot.takesTasks() && !queue.isEmpty()) {
            PendingTask task = queue.peekFirst();
            if (task.isAbandoned()) {
                queue.pollFirst();
                continue;
            }
            if (!slot.hasRoomFor(task, windows)) {
                return;
            }
            if (task.isSuspect() && !slot.holdsNothing()) {
                return; // a suspect waits for an idle worker; this one stops taking tasks until then
            }
            queue.pollFirst();
            if (slot.holdsNothing()) {
                slot.runningSince = ticker.nanoTime();
            }
            slot.hold(task);
            if (task.isSuspect()) {
                slot.moveTo(Standing.ISOLATING);
            }
            round.batches.computeIfAbsent(slot.worker, w -> new ArrayList<>()).add(task);
            if (maxTasksPerWorker > 0 && ++slot.assigned >= maxTasksPerWorker) {
                slot.moveTo(Standing.RETIRING);
                round.newlyRetiring.add(slot.worker);
                return;
            }
        }
    }
}
