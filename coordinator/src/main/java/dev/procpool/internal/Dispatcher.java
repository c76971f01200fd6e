package dev.procpool.internal;

import dev.procpool.ProcPoolException;
import dev.procpool.protocol.EncodingException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Decides which task goes to which worker, and keeps the books: the queue of tasks waiting for a worker, and
 * the tasks each ready worker holds. A worker gets its next task when it has room (at most {@code window} in
 * flight), never by a split decided up front, so uneven tasks keep every worker busy.
 *
 * <p>Threading: one daemon thread ({@code procpool-dispatcher}) does all writing to workers while the pool
 * runs, outside the lock; every other method may be called from any thread. All state is guarded by
 * {@code lock}. Each task leaves the books exactly once, through {@link #finished}, {@link #workerEnded} or
 * {@link #drainQueue}, and whoever removes it completes its future.
 */
public final class Dispatcher {

    private final int window;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<PendingTask> queue = new ArrayDeque<>();
    private final Map<WorkerProcess, Map<Long, PendingTask>> held = new LinkedHashMap<>();
    private final Thread thread;
    private boolean stopping;

    public Dispatcher(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, was " + window);
        }
        this.window = window;
        this.thread = new Thread(this::run, "procpool-dispatcher");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Queues a task for the next worker with room; returns false if the dispatcher is stopping. */
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

    /** A worker completed its handshake and can take tasks. */
    public void workerReady(WorkerProcess worker) {
        lock.lock();
        try {
            held.put(worker, new LinkedHashMap<>());
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Takes the task a worker answered off the books; null if it holds no task of that id. */
    public PendingTask finished(WorkerProcess worker, long taskId) {
        lock.lock();
        try {
            Map<Long, PendingTask> tasks = held.get(worker);
            PendingTask task = tasks == null ? null : tasks.remove(taskId);
            if (task != null && tasks.isEmpty()) {
                worker.transition(WorkerState.READY);
            }
            changed.signal();
            return task;
        } finally {
            lock.unlock();
        }
    }

    /** Takes a worker that is gone off the books, with every task it held (oldest first). */
    public List<PendingTask> workerEnded(WorkerProcess worker) {
        lock.lock();
        try {
            Map<Long, PendingTask> tasks = held.remove(worker);
            return tasks == null ? List.of() : new ArrayList<>(tasks.values());
        } finally {
            lock.unlock();
        }
    }

    /** How many workers can take tasks. */
    public int readyWorkers() {
        lock.lock();
        try {
            return held.size();
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
            Map<WorkerProcess, List<PendingTask>> batch;
            lock.lock();
            try {
                batch = assign();
                while (batch.isEmpty() && !stopping) {
                    changed.await(1, TimeUnit.SECONDS);
                    batch = assign();
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
            batch.forEach(this::send);
        }
    }

    /** Moves queued tasks onto the books of every worker with room. Called with the lock held. */
    private Map<WorkerProcess, List<PendingTask>> assign() {
        Map<WorkerProcess, List<PendingTask>> batch = new LinkedHashMap<>();
        if (queue.isEmpty()) {
            return batch;
        }
        for (Map.Entry<WorkerProcess, Map<Long, PendingTask>> entry : held.entrySet()) {
            WorkerProcess worker = entry.getKey();
            Map<Long, PendingTask> tasks = entry.getValue();
            while (tasks.size() < window && !queue.isEmpty()) {
                PendingTask task = queue.pollFirst();
                if (task.isSettled()) {
                    continue; // cancelled while it waited
                }
                tasks.put(task.id(), task);
                batch.computeIfAbsent(worker, w -> new ArrayList<>()).add(task);
            }
            if (!tasks.isEmpty()) {
                worker.transition(WorkerState.BUSY);
            }
            if (queue.isEmpty()) {
                break;
            }
        }
        return batch;
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
}
