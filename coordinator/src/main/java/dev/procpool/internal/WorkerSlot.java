package dev.procpool.internal;

import java.util.ArrayDeque;

/**
 * One ready worker's books in the {@link Dispatcher}: the tasks it holds in the order sent, which is the order it
 * answers in, where it stands, and how long its tasks take. Not thread-safe: guarded by the dispatcher's lock.
 */
final class WorkerSlot {

    final WorkerConnection worker;
    /** What it holds, in the order sent, which is the order it answers in; the first is the one computing. */
    final ArrayDeque<PendingTask> held = new ArrayDeque<>();
    /** Tasks ever given to this worker, for recycling. */
    int assigned;
    /** Whether it has been sent the jobs in use, once, as it joined (see {@link TicketDelivery#welcome}). */
    boolean welcomed;
    /** When the oldest held task started computing, by the dispatcher's ticker. */
    long runningSince;
    private Standing standing = Standing.ACTIVE;
    /** Average compute time of its recent tasks; negative until its first results. */
    private double taskNanos = -1;

    WorkerSlot(WorkerConnection worker) {
        this.worker = worker;
    }

    Standing standing() {
        return standing;
    }

    /**
     * Moves to {@code next} if the table in {@link Standing} allows it from where it stands; returns whether it
     * moved. Every change of a worker's standing goes through here.
     */
    boolean moveTo(Standing next) {
        if (!standing.canMoveTo(next)) {
            return false;
        }
        standing = next;
        return true;
    }

    /** Whether it may be given tasks now: it is active and its connection is open. */
    boolean takesTasks() {
        return standing == Standing.ACTIVE && worker.state() == ConnectionState.READY;
    }

    /** The worker reported {@code busyNanos} of computing for {@code tasks} tasks. */
    void measured(long busyNanos, int tasks) {
        if (tasks > 0) {
            double perTask = (double) busyNanos / tasks;
            taskNanos = taskNanos < 0 ? perTask : 0.75 * taskNanos + 0.25 * perTask;
        }
    }

    /** How many tasks this worker may hold now, by {@code policy}. */
    int window(WindowPolicy policy) {
        return policy.window(taskNanos);
    }
}
