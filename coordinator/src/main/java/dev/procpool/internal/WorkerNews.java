package dev.procpool.internal;

import dev.procpool.PoolClosedException;
import dev.procpool.ProcPoolException;
import dev.procpool.measure.TaskUsage;
import dev.procpool.protocol.Heartbeat;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.ResultBatch;
import dev.procpool.protocol.TaskFailure;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Takes each worker's news to the part of the pool that owns it: a ready worker to the {@link Dispatcher} and the
 * {@link Workforce}, answers off the {@link WorkerBooks} to the {@link TaskSettler}, a heartbeat's answer to the
 * worker's {@link WorkerUsage}, and a worker's end to all three (its tasks run again or fail, a replacement starts).
 * A worker that answers what it does not hold, or sends what only a coordinator sends, is killed.
 *
 * <p>Threading: called on each worker's reader thread; holds no state of its own.
 */
final class WorkerNews implements WorkerEvents {

    private final PoolLifecycle lifecycle;
    private final WorkerBooks books;
    private final Dispatcher dispatcher;
    private final TaskSettler settler;
    private final TicketDelivery delivery;
    private final Supplier<Workforce> workforce;
    private final Consumer<String> notices;

    /**
     * @param workforce the pool's workforce, made after this (it reports to this)
     * @param notices where the pool says what it did
     */
    WorkerNews(PoolLifecycle lifecycle, WorkerBooks books, Dispatcher dispatcher, TaskSettler settler,
            TicketDelivery delivery, Supplier<Workforce> workforce, Consumer<String> notices) {
        this.lifecycle = lifecycle;
        this.books = books;
        this.dispatcher = dispatcher;
        this.settler = settler;
        this.delivery = delivery;
        this.workforce = workforce;
        this.notices = notices;
    }

    @Override
    public void ready(WorkerConnection worker) {
        dispatcher.workerReady(worker);
        workforce.get().ready(worker);
    }

    @Override
    public void message(WorkerConnection worker, Message message) {
        if (message instanceof ResultBatch results) {
            PendingTask[] tasks = books.finished(worker, results.ids(), results.busyNanos());
            Object[] values = results.values();
            // The worker measures its thread's time per stretch of tasks (a sample of them, for tiny tasks), not per
            // task: each task takes an even share of what was measured.
            TaskUsage share = results.sampledNanos() == 0 ? TaskUsage.NONE
                    : new TaskUsage(results.sampledNanos(), results.cpuNanos(), results.readyNanos(), true)
                            .share(Math.max(1, tasks.length));
            for (int i = 0; i < tasks.length; i++) {
                if (tasks[i] != null) {
                    settler.completed(tasks[i], values[i], share);
                } else if (!books.isKilled(worker)) {
                    worker.kill("answered task " + results.ids()[i] + ", which it did not hold or not in the order "
                            + "it was sent");
                    break; // its later answers are no more to be trusted; its end gives back what it held
                }
            }
            dispatcher.pumpIfNeeded();
        } else if (message instanceof TaskFailure failure) {
            PendingTask task = books.finished(worker, failure.taskId());
            if (task != null) {
                settler.failed(worker, task, failure);
            } else if (!books.isKilled(worker)) {
                worker.kill("reported a failure of task " + failure.taskId() + ", which it did not hold");
            }
            dispatcher.pumpIfNeeded();
        } else if (message instanceof Heartbeat answer) {
            worker.usage().reported(answer); // that it is alive, the connection has already heard
        } else {
            worker.kill("sent a " + message.getClass().getSimpleName() + ", which only a coordinator sends");
        }
    }

    @Override
    public void outputEnded(WorkerConnection worker) {
        books.outputEnded(worker);
    }

    @Override
    public void ended(WorkerConnection worker, WorkerEnd end) {
        Workforce workers = workforce.get();
        workers.remove(worker);
        delivery.ended(worker);
        WorkerBooks.Leftovers leftovers = books.workerEnded(worker);
        if (lifecycle.isClosed()) {
            settler.failAll(leftovers.held(), new PoolClosedException("the process pool closed while "
                    + worker.describe() + " held the task"));
            return;
        }
        if (!end.wasReady()) {
            workers.startFailed(worker, end);
            return;
        }
        boolean retired = leftovers.standing() == Standing.RETIRING || leftovers.standing() == Standing.RETIRED;
        if (retired && leftovers.held().isEmpty() && end.exitStatus().orElse(-1) == 0) {
            // Recycled as planned; its replacement is already on its way (if its launcher had room for one while this
            // worker still held its slot; if not, one starts now), unless the pool no longer starts workers.
            if (lifecycle.state() == PoolLifecycle.State.OPEN) {
                workers.topUp();
            }
            lifecycle.givenUp().ifPresent(this::failQueuedIfNoWorkers);
            return;
        }
        boolean replacing = !retired && lifecycle.state() == PoolLifecycle.State.OPEN;
        String aftermath = retired ? "its replacement was already starting"
                : replacing ? "starting a replacement"
                : "starting no replacement: the pool has stopped starting workers";
        settler.workerLost(worker, end, leftovers, aftermath);
        if (replacing) {
            workers.replace();
        } else if (retired && lifecycle.state() == PoolLifecycle.State.OPEN) {
            workers.topUp();
        } else {
            lifecycle.givenUp().ifPresent(this::failQueuedIfNoWorkers);
        }
    }

    @Override
    public void notice(String message) {
        notices.accept(message);
    }

    /** No more replacements: tasks still queued fail now if no worker is left to run them. */
    void failQueuedIfNoWorkers(ProcPoolException reason) {
        if (books.readyWorkers() == 0) {
            settler.failAll(dispatcher.drainQueue(), reason);
        }
    }
}
