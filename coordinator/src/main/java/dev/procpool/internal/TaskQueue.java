package dev.procpool.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The tasks waiting for a worker, in the order they go: new ones at the back, those that must run again at the front.
 * Not thread-safe: the {@link Dispatcher} uses it under the books' lock (see {@link WorkerBooks#locked}), except
 * {@link #mayHoldTasks()}.
 */
final class TaskQueue {

    private final Deque<PendingTask> tasks = new ArrayDeque<>();
    /** Its length as of its last count under the lock: read without it, to skip rounds with nothing to send. */
    private volatile int counted;

    /** Adds tasks behind the others. */
    void addLast(List<PendingTask> added) {
        tasks.addAll(added);
        counted = tasks.size();
    }

    /** Adds tasks ahead of the others, keeping their order. */
    void addFirst(List<PendingTask> added) {
        for (int i = added.size() - 1; i >= 0; i--) {
            tasks.addFirst(added.get(i));
        }
        counted = tasks.size();
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
}
