package dev.procpool.internal;

import dev.procpool.protocol.BatchBudget;
import dev.procpool.protocol.EncodingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Decides which queued task goes to which worker, and has them sent: one shared queue, from which each worker takes
 * work when it has room, so uneven tasks keep every worker busy. It makes the decisions only; what each worker holds
 * and where it stands is written on the {@link WorkerBooks}, which the dispatcher asks to record each decision, under
 * the books' lock, which guards its {@link TaskQueue} too.
 *
 * <p>How much room a worker has is its {@link WindowPolicy window}, sized from how long the tasks of the jobs it
 * holds take ({@link JobDuration}), and whatever is queued when a worker has room goes at once, as one batch: nothing
 * waits for a batch to fill. A task blamed once for a worker's death (a suspect) waits for an idle worker and runs
 * there alone; a worker that reached its task quota retires once it holds nothing.
 *
 * <p>Threading: there is no dispatcher thread. Whoever brings news (a submission, results, a ready worker) calls
 * {@link #pump()}, and one thread at a time, the holder of the {@link SendingTurn}, plans a round under the books'
 * lock and sends it outside the lock.
 */
final class Dispatcher {

    private final WorkerBooks books;
    private final WindowPolicy windows;
    private final int maxTasksPerWorker;
    private final Consumer<WorkerConnection> retiring;
    private final TaskSender sender;
    private final SendingTurn turn;
    /** Guarded by the books' lock, as {@link #stopped} is. */
    private final TaskQueue queue = new TaskQueue();
    /** Set once by {@link #stop}: nothing is queued or sent after it. */
    private boolean stopped;

    /**
     * @param books what each worker holds; its lock guards this dispatcher's queue too
     * @param turn the turn to send, whose requests the books also make
     * @param windows how many tasks a worker may hold at once
     * @param maxTasksPerWorker tasks after which a worker is retired and replaced; 0 for no limit
     * @param retiring told when a worker reaches its quota, so a replacement can start
     * @param unsendable given each task that could not be encoded, once it is off the books
     * @param delivery sends each worker the jobs it does not hold yet, before their tasks
     * @param budget how many tasks a batch frame may hold on the workers' link
     */
    Dispatcher(WorkerBooks books, SendingTurn turn, WindowPolicy windows, int maxTasksPerWorker,
            Consumer<WorkerConnection> retiring, BiConsumer<PendingTask, EncodingException> unsendable,
            TicketDelivery delivery, BatchBudget budget) {
        this.books = books;
        this.turn = turn;
        this.windows = windows;
        this.maxTasksPerWorker = maxTasksPerWorker;
        this.retiring = retiring;
        this.sender = new TaskSender(books::withdraw, unsendable, delivery, budget);
    }

    /** Queues new tasks behind the others and sends what can be sent; returns false, queuing nothing, if stopped. */
    boolean submit(List<PendingTask> tasks) {
        return enqueue(() -> queue.addLast(tasks));
    }

    /**
     * Queues tasks that must run again ahead of new ones, keeping their order, and sends what can be sent; returns
     * false, queuing nothing, if stopped.
     */
    boolean retry(List<PendingTask> tasks) {
        return enqueue(() -> queue.addFirst(tasks));
    }

    private boolean enqueue(Runnable add) {
        boolean queued = books.locked(() -> {
            if (stopped) {
                return false;
            }
            add.run();
            return true;
        });
        if (queued) {
            pump();
        }
        return queued;
    }

    /** A worker completed its handshake and can take tasks. */
    void workerReady(WorkerConnection worker) {
        books.add(worker);
        pump();
    }

    /** Takes every queued task off the queue. */
    List<PendingTask> drainQueue() {
        return books.locked(queue::drain);
    }

    /**
     * Stops dispatching and waits up to {@code timeout} for a send in progress to finish; afterwards nothing writes
     * to workers but the caller, and nothing more is queued. Returns whether the send finished in time.
     */
    boolean stop(Duration timeout) {
        books.locked(() -> stopped = true);
        return turn.stop(timeout);
    }

    /**
     * Pumps if anything may be waiting to be sent: tasks queued, or a retired worker to be told to shut down. What a
     * reader thread calls after results: with nothing queued (a caller submitting one task at a time), it takes no
     * lock. A submission racing this check pumps by itself.
     */
    void pumpIfNeeded() {
        if (queue.mayHoldTasks() || turn.isRequested()) {
            pump();
        }
    }

    /**
     * Sends every task that can go now. One thread sends at a time; a thread that finds another sending leaves a
     * request, which the sender picks up before it lets go, so no news is lost.
     */
    void pump() {
        turn.take(this::sendRound);
    }

    private void sendRound() {
        Round round = books.locked(() -> stopped ? null : plan());
        if (round == null) {
            return;
        }
        round.dropped.forEach(PendingTask::dropped);
        round.newlyRetiring.forEach(retiring);
        round.newcomers.forEach(sender::welcome);
        round.batches.forEach(sender::send);
        round.finished.forEach(TaskSender::shutDown);
    }

    /** What one pump sends, and the abandoned tasks it took off the queue, to act on outside the lock. */
    private record Round(Map<WorkerConnection, List<PendingTask>> batches, List<WorkerConnection> newlyRetiring,
            List<WorkerConnection> finished, List<WorkerConnection> newcomers, List<PendingTask> dropped) {
    }

    /**
     * Decides who gets which queued tasks, and which full workers retire, and records it on the books. Called under
     * the books' lock.
     */
    private Round plan() {
        Round round = new Round(new LinkedHashMap<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>());
        for (WorkerSlot slot : books.slots()) {
            if (books.welcome(slot)) {
                round.newcomers.add(slot.worker);
            }
            fill(slot, round);
            if (books.retireIfDone(slot)) {
                round.finished.add(slot.worker);
            }
        }
        queue.recount();
        return round;
    }

    private void fill(WorkerSlot slot, Round round) {
        while (slot.takesTasks() && !queue.isEmpty()) {
            PendingTask task = queue.peek();
            if (task.isAbandoned()) {
                queue.remove();
                round.dropped.add(task); // told after the lock: its callback may release a shared value's file
                continue;
            }
            if (!slot.hasRoomFor(task, windows)) {
                return;
            }
            if (task.isSuspect() && !slot.holdsNothing()) {
                return; // a suspect waits for an idle worker; this one stops taking tasks until then
            }
            queue.remove();
            books.give(slot, task);
            round.batches.computeIfAbsent(slot.worker, w -> new ArrayList<>()).add(task);
            if (maxTasksPerWorker > 0 && slot.assigned() >= maxTasksPerWorker) {
                books.retire(slot);
                round.newlyRetiring.add(slot.worker);
                return;
            }
        }
    }
}
