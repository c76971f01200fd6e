package dev.procpool.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The tasks waiting for a worker, in the order they go: new ones at the back, those that must run again at the front.
 * Closed when the pool closes: it then takes no more. Not thread-safe: guarded by the books' lock (see
 * {@link WorkerBooks#lock}), except {@link #mayHoldTasks()}.
 */
final class TaskQueue {

    private final Deque<PendingTask> tasks = new ArrayDeque<>();
    /** Its length as of its last count under the lock: read without it, to skip rounds with nothing to send. */
    private volatile int counted;
    private boolean closed;

    /** Adds tasks behind the others; returns false, adding nothing, once closed. */
    boolean addLast(List<PendingTask> added) {
        if (closed) {
            return false;
        }
        tasks.addAll(added);
        counted = tasks.size();
        return true;
    }

    /** Adds tasks ahead of the others, keeping their order; returns false, adding nothing, once closed. */
    boolean addFirst(List<PendingTask> added) {
        if (closed) {
            return false;
        }
        for (int i = added.size() - 1; i >= 0; i--) {
            tasks.addFirst(added.get(i));
        }
        counted = tasks.size();
        return true;
    }

    /** The next task to go; null if none waits. */
    PendingTask peek() {
        return tasks.peekFirst();
    }

    /** Takes the next task, found with {@link #peek()}; call {@link #recount()} after a run of these. */
    void remove() {
        tasks.pollFirst();
    }

    boolean isEmpty() {
        return tasks.isEmpty();
    }

    /** Counts what waits, for {@link #mayHoldTasks()}. */
    void recount() {
        counted = tasks.size();
    }

    /** Whether tasks may be waiting, as of the last count; safe without the lock. */
    boolean mayHoldTasks() {
        return counted > 0;
    }

    /** Takes every waiting task. */
    List<PendingTask> drain() {
        List<PendingTask> drained = new ArrayList<>(tasks);
        tasks.clear();
        counted = 0;
        return drained;
    }

    /** Takes no more tasks from now on. */
    void close() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }
}
