package dev.procpool.internal;

import dev.procpool.protocol.BatchBudget;
import dev.procpool.protocol.EncodingException;
import dev.procpool.protocol.Protocol;
import dev.procpool.protocol.TaskBatch;
import java.io.IOException;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;

/**
 * Writes the tasks the {@link Dispatcher} planned to their worker: one {@link TaskBatch} per run of tasks of the
 * same job, after what the worker must know first (the job's classes and definition, through the
 * {@link TicketDelivery}), flushed once. A run longer than a batch may hold (the protocol's limit, and the link's
 * {@link BatchBudget}) goes as several. A task that cannot be encoded is taken back off the books and handed on as
 * unsendable, while the others of its batch still go. Used by the dispatcher's one sending thread at a time, which
 * alone updates the budget.
 */
final class TaskSender {

    private final BiPredicate<WorkerConnection, PendingTask> withdraw;
    private final BiConsumer<PendingTask, EncodingException> unsendable;
    private final TicketDelivery delivery;
    private final BatchBudget budget;

    /**
     * @param withdraw takes a task that was not sent off its worker's books; false if it is no longer on them
     * @param unsendable given each task that could not be encoded, once it is off the books
     * @param delivery sends each worker the jobs it does not hold yet
     * @param budget how many tasks a batch frame may hold on the workers' link
     */
    TaskSender(BiPredicate<WorkerConnection, PendingTask> withdraw,
            BiConsumer<PendingTask, EncodingException> unsendable, TicketDelivery delivery, BatchBudget budget) {
        this.withdraw = withdraw;
        this.unsendable = unsendable;
        this.delivery = delivery;
        this.budget = budget;
    }

    /** Sends a worker its new tasks, one batch per run of tasks of the same job, and flushes once. */
    void send(WorkerConnection worker, List<PendingTask> tasks) {
        try {
            int from = 0;
            while (from < tasks.size()) {
                JobTicket job = tasks.get(from).ticket();
                int most = budget.items(Protocol.MAX_BATCH_ELEMENTS);
                int to = from + 1;
                while (to < tasks.size() && tasks.get(to).ticket() == job && to - from < most) {
                    to++;
                }
                sendBatch(worker, job, tasks.subList(from, to));
                from = to;
            }
            worker.input().flush();
        } catch (IOException e) {
            // The worker's stdin broke: it is dying, and its reader thread will report the end and give back
            // every task it held, these included.
        }
    }

    private void sendBatch(WorkerConnection worker, JobTicket job, List<PendingTask> tasks) throws IOException {
        try {
            delivery.prepare(worker, job);
        } catch (EncodingException e) {
            giveBack(worker, tasks, e);
            return;
        }
        sendWithinBudget(worker, job, tasks);
    }

    /**
     * Sends the tasks in batches within the budget (see {@link BatchBudget#write}). If some task cannot travel, the
     * others of its batch go one by one, and each that cannot is given back.
     */
    private void sendWithinBudget(WorkerConnection worker, JobTicket job, List<PendingTask> tasks) throws IOException {
        budget.write(tasks.size(), new BatchBudget.Batches() {
            @Override
            public int write(int from, int to, int frameLimit) throws EncodingException, IOException {
                long[] ids = new long[to - from];
                Object[] payloads = new Object[to - from];
                for (int i = from; i < to; i++) {
                    ids[i - from] = tasks.get(i).id();
                    payloads[i - from] = tasks.get(i).task();
                }
                return worker.input().send(new TaskBatch(job.key(), ids, payloads), frameLimit);
            }

            @Override
            public void writeOneByOne(int from, int to) throws IOException {
                for (PendingTask task : tasks.subList(from, to)) {
                    try {
                        worker.input().send(TaskBatch.of(task.id(), job.key(), task.task()));
                    } catch (EncodingException e) {
                        giveBack(worker, List.of(task), e);
                    }
                }
            }
        });
    }

    /** Takes tasks that cannot go off the worker's books, and hands each on as unsendable. */
    private void giveBack(WorkerConnection worker, List<PendingTask> tasks, EncodingException why) {
        for (PendingTask task : tasks) {
            if (withdraw.test(worker, task)) {
                unsendable.accept(task, why);
            }
        }
    }

    /**
     * Sends a worker that just became ready the jobs in use, so that it makes them while it has nothing else to do,
     * not in the time of its first tasks (and their time limits).
     */
    void welcome(WorkerConnection worker) {
        try {
            delivery.welcome(worker);
            worker.input().flush();
        } catch (IOException | EncodingException e) {
            // Its stdin broke (its reader reports the end), or a definition cannot be encoded (its tasks will say so).
        }
    }

    /** Tells a worker that holds nothing more to shut down, and closes its stdin. */
    static void shutDown(WorkerConnection worker) {
        worker.input().askToShutDown();
        worker.input().close();
    }
}
