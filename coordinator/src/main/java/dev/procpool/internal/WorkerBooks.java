package dev.procpool.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The books of the ready workers: which tasks each holds, in the order sent, and where each stands. A worker computes
 * its tasks one at a time in that order, so the oldest task it holds is the one it is computing: that task's clock
 * runs for time limits, and that task is blamed if the worker dies.
 *
 * <p>The only writer of each {@link WorkerSlot}: the {@link Dispatcher} decides who gets what next and records it here
 * ({@link #welcome}, {@link #give}, {@link #retire}, {@link #retireIfDone}); the news from workers,
 * time limits and cancellations take tasks off. It settles no task: each task leaves the books exactly once, through
 * {@link #finished}, {@link #workerEnded}, {@link #expired}, {@link #cancelled} or {@link #withdraw}, and goes back to
 * the caller, who settles it.
 *
 * <p>Threading: every method takes the books' lock (a reentrant one). The dispatcher runs its queue's steps under the
 * same lock through {@link #locked}, so that moving a task from the queue onto the books is one step and a task is
 * always in exactly one of them.
 */
final class WorkerBooks {

    /** Guards the books, and through {@link #locked} the dispatcher's queue with them. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<WorkerConnection, WorkerSlot> slots = new LinkedHashMap<>();
    private final Ticker ticker;
    private final Runnable roundWanted;

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
     * @param ticker time source for time limits
     * @param roundWanted told, under the lock, when the dispatcher has something to send that is not in its queue: a
     *     retiring worker that holds nothing more, due to be told to shut down, or room left by a withdrawn task
     */
    WorkerBooks(Ticker ticker, Runnable roundWanted) {
        this.ticker = ticker;
        this.roundWanted = roundWanted;
    }

    /** A worker completed its handshake and can take tasks. */
    void add(WorkerConnection worker) {
        locked(() -> slots.put(worker, new WorkerSlot(worker)));
    }

    /**
     * Runs {@code step} under the books' lock and returns what it returns: how the dispatcher keeps its queue, and
     * moves tasks from it onto the books, in one step with them.
     */
    <T> T locked(Supplier<T> step) {
        lock.lock();
        try {
            return step.get();
        } finally {
            lock.unlock();
        }
    }

    /** The page of every ready worker, in the order they joined, as of now: to read, and to {@link #give} to. */
    List<WorkerSlot> slots() {
        lock.lock();
        try {
            return new ArrayList<>(slots.values());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Notes that a worker is being sent the jobs in use as it joins; returns false, noting nothing, if it was already
     * (the welcome goes once).
     */
    boolean welcome(WorkerSlot slot) {
        return locked(slot::welcome);
    }

    /**
     * Gives a worker a task, behind those it holds: a worker that held none starts computing it now, and one given a
     * suspect is isolating (it takes nothing more until the suspect is off its books).
     */
    void give(WorkerSlot slot, PendingTask task) {
        lock.lock();
        try {
            if (slot.holdsNothing()) {
                slot.startedComputing(ticker.nanoTime());
            }
            slot.hold(task);
            if (task.isSuspect()) {
                slot.moveTo(Standing.ISOLATING);
            }
        } finally {
            lock.unlock();
        }
    }

    /** A worker reached its task quota: it takes no more, and is told to shut down once it holds none. */
    void retire(WorkerSlot slot) {
        locked(() -> slot.moveTo(Standing.RETIRING));
    }

    /**
     * Marks a retiring worker that holds nothing more retired; returns whether it did, in which case the caller tells
     * that worker to shut down.
     */
    boolean retireIfDone(WorkerSlot slot) {
        return locked(() -> slot.standing() == Standing.RETIRING && slot.holdsNothing()
                && slot.moveTo(Standing.RETIRED));
    }

    /**
     * Takes the tasks a worker answered off the books, and times their jobs by the time it spent computing them; the
     * entry for an id it did not hold is null.
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
            slot.startedComputing(ticker.nanoTime());
        }
        if (task.isSuspect() && slot.standing() == Standing.ISOLATING) {
            slot.moveTo(Standing.ACTIVE);
        }
        if (slot.standing() == Standing.RETIRING && slot.holdsNothing()) {
            roundWanted.run(); // it is due to be told to shut down
        }
    }

    /**
     * Takes off a worker's books a task that never reached it (it could not be encoded); false if the task is not
     * on them any more. The room it leaves is filled in the dispatcher's next round.
     */
    boolean withdraw(WorkerConnection worker, PendingTask task) {
        lock.lock();
        try {
            WorkerSlot slot = slots.get(worker);
            if (slot == null || !slot.holds(task)) {
                return false;
            }
            takeOff(slot, task);
            roundWanted.run();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A worker's output ended: it takes nothing more, and what it holds comes back with its end
     * ({@link #workerEnded}).
     */
    void outputEnded(WorkerConnection worker) {
        lock.lock();
        try {
            WorkerSlot slot = slots.get(worker);
            if (slot != null) {
                slot.moveTo(Standing.LOST);
            }
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
        return locked(() -> slots.containsKey(worker) && slots.get(worker).standing() == Standing.KILLED);
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
                        && now - slot.runningSince() > computing.limit().toNanos()) {
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
                if (!slot.standing().isLeaving()) {
                    ready++;
                }
            }
            return ready;
        } finally {
            lock.unlock();
        }
    }
}
