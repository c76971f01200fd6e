package dev.procpool.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One ready worker's page of the {@link WorkerBooks}: the tasks it holds in the order sent, which is the order it
 * answers in, and where it stands. Not thread-safe: guarded by the books' lock. Anyone may read it under that lock;
 * only the books write it (the methods that change it say so), so each fact on it has one writer.
 */
final class WorkerSlot {

    final WorkerConnection worker;
    /** What it holds, in the order sent, which is the order it answers in; the first is the one computing. */
    private final ArrayDeque<PendingTask> held = new ArrayDeque<>();
    /** The jobs of the tasks it holds, each once, with how many: rarely more than one or two. */
    private final List<HeldJob> heldJobs = new ArrayList<>(2);
    /** Tasks ever given to this worker, for recycling. */
    private int assigned;
    /** Whether it has been sent the jobs in use, once, as it joined (see {@link TicketDelivery#welcome}). */
    private boolean welcomed;
    /** When the oldest held task started computing, by the books' ticker. */
    private long runningSince;
    private Standing standing = Standing.ACTIVE;

    /** A job whose tasks the worker holds, and how many of them. */
    private static final class HeldJob {
        final JobTicket job;
        int tasks;

        HeldJob(JobTicket job) {
            this.job = job;
        }
    }

    WorkerSlot(WorkerConnection worker) {
        this.worker = worker;
    }

    Standing standing() {
        return standing;
    }

    /**
     * Moves to {@code next} if the table in {@link Standing} allows it from where it stands; returns whether it
     * moved. Every change of a worker's standing goes through here, called by the books only.
     */
    boolean moveTo(Standing next) {
        if (!standing.canMoveTo(next)) {
            return false;
        }
        standing = next;
        return true;
    }

    /** Tasks ever given to it. */
    int assigned() {
        return assigned;
    }

    /** Notes that it is sent the jobs in use; returns false if it was already. By the books only. */
    boolean welcome() {
        if (welcomed) {
            return false;
        }
        welcomed = true;
        return true;
    }

    /** When the task it is computing started, by the books' ticker. */
    long runningSince() {
        return runningSince;
    }

    /** Notes that the task it holds first started computing at {@code nanoTime}; by the books only. */
    void startedComputing(long nanoTime) {
        runningSince = nanoTime;
    }

    /** Whether it may be given tasks now. */
    boolean takesTasks() {
        return standing == Standing.ACTIVE;
    }

    /**
     * Whether it has room for {@code task} by {@code policy}: the window is that of the slowest job among the task's
     * and those it holds (a job not timed yet counting as the slowest), so nothing is queued behind a task whose
     * duration is unknown or long, and a task of a job not timed yet goes only to an idle worker.
     */
    boolean hasRoomFor(PendingTask task, WindowPolicy policy) {
        double nanos = task.ticket().duration().taskNanos();
        for (HeldJob held : heldJobs) {
            nanos = JobDuration.longer(nanos, held.job.duration().taskNanos());
        }
        return held.size() < policy.window(nanos);
    }

    /** Adds a task given to it, behind the others, and counts it; by the books only. */
    void hold(PendingTask task) {
        held.addLast(task);
        assigned++;
        for (HeldJob job : heldJobs) {
            if (job.job == task.ticket()) {
                job.tasks++;
                return;
            }
        }
        HeldJob job = new HeldJob(task.ticket());
        job.tasks = 1;
        heldJobs.add(job);
    }

    /** The task it is computing: the oldest it holds; null if it holds none. */
    PendingTask computing() {
        return held.peekFirst();
    }

    /** Whether it holds {@code task}. */
    boolean holds(PendingTask task) {
        return held.contains(task);
    }

    boolean holdsNothing() {
        return held.isEmpty();
    }

    /** Removes a task it holds; returns whether it held it. By the books only. */
    boolean release(PendingTask task) {
        boolean oldest = held.peekFirst() == task;
        if (!(oldest ? held.pollFirst() != null : held.remove(task))) {
            return false;
        }
        for (int i = 0; i < heldJobs.size(); i++) {
            HeldJob job = heldJobs.get(i);
            if (job.job == task.ticket()) {
                if (--job.tasks == 0) {
                    heldJobs.remove(i);
                }
                break;
            }
        }
        return true;
    }

    /** What it holds, oldest first. */
    List<PendingTask> heldTasks() {
        return new ArrayList<>(held);
    }
}
