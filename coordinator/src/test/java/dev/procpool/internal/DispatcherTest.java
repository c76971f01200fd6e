package dev.procpool.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.jobs.NoopJob;
import dev.procpool.jobs.SleepJob;
import dev.procpool.measure.TaskUsage;
import dev.procpool.protocol.BatchBudget;
import dev.procpool.protocol.FrameReader;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.Protocol;
import dev.procpool.protocol.Shutdown;
import dev.procpool.protocol.TaskBatch;
import dev.procpool.protocol.WireFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dispatcher and its books on their own: fake workers whose stdin the test reads back as frames, and a ticker the
 * test moves. No JVM is started and nothing sleeps.
 */
@Timeout(60)
class DispatcherTest {

    private final WireFormat format = WireFormat.forCoordinator();
    private final JobTickets tickets = new JobTickets(format, Protocol.DEFAULT_MAX_FRAME_BYTES);
    private final JobTicket noop = tickets.of(new NoopJob());
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Ticker ticker = now::get;
    private final List<WorkerConnection> retired = new CopyOnWriteArrayList<>();
    private final List<PendingTask> unsendable = new CopyOnWriteArrayList<>();
    private final List<Fake> fakes = new ArrayList<>();
    private long nextId = 1;

    /** A fake worker behind a real connection: what the dispatcher sends it collects in {@code sent}. */
    private record Fake(WorkerConnection connection, FakeWorker process, ByteArrayOutputStream sent,
            PipedOutputStream stdout) {

        /** The messages sent to this worker so far, decoded. */
        List<Message> messages(WireFormat format) throws IOException {
            FrameReader reader = new FrameReader(new ByteArrayInputStream(sent.toByteArray()), format,
                    Protocol.DEFAULT_MAX_FRAME_BYTES);
            List<Message> messages = new ArrayList<>();
            Message message;
            while ((message = reader.read()) != null) {
                messages.add(message);
            }
            return messages;
        }

        /** The ids of every task sent to this worker so far, in order. */
        List<Long> taskIds(WireFormat format) throws IOException {
            List<Long> ids = new ArrayList<>();
            for (Message message : messages(format)) {
                if (message instanceof TaskBatch batch) {
                    LongStream.of(batch.ids()).forEach(ids::add);
                }
            }
            return ids;
        }
    }

    @AfterEach
    void killFakes() {
        fakes.forEach(fake -> fake.process().kill());
    }

    private final SendingTurn turn = new SendingTurn();
    private final WorkerBooks books = new WorkerBooks(ticker, turn::request);

    private Dispatcher dispatcher(WindowPolicy windows, int maxTasksPerWorker) {
        return new Dispatcher(books, turn, windows, maxTasksPerWorker, retired::add,
                (task, error) -> unsendable.add(task), new TicketDelivery(format), BatchBudget.unlimited());
    }

    /** A connected fake worker whose handshake has been read: ready for tasks. */
    private Fake readyWorker(int id) throws Exception {
        PipedOutputStream stdout = new PipedOutputStream();
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        FakeWorker process = FakeWorker.live(stdout, sent);
        WorkerConnection connection = ReadyConnections.open(id, process, stdout, format, ticker, books::outputEnded);
        Fake fake = new Fake(connection, process, sent, stdout);
        fakes.add(fake);
        return fake;
    }

    private PendingTask task(Object payload) {
        return task(payload, Duration.ofSeconds(1));
    }

    /** A task with this time limit (null for none). */
    private PendingTask task(Object payload, Duration limit) {
        return task(noop, payload, limit);
    }

    /** A task of {@code job} with this time limit (null for none). */
    private PendingTask task(JobTicket job, Object payload, Duration limit) {
        return new PendingTask(nextId++, job, payload, new TaskCallback() {
            @Override
            public void succeeded(Object value, TaskUsage usage) {
            }

            @Override
            public void failed(Throwable error) {
            }

            @Override
            public boolean abandoned() {
                return false;
            }
        }, limit);
    }

    private List<PendingTask> tasks(int count) {
        List<PendingTask> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tasks.add(task(i));
        }
        return tasks;
    }

    @Test
    void submit_sendsAsManyAsTheWindowAllows_andTheNextWhenOneIsAnswered() throws Exception {
        Dispatcher dispatcher = dispatcher(WindowPolicy.fixed(2), 0);
        Fake worker = readyWorker(1);
        dispatcher.workerReady(worker.connection());
        List<PendingTask> tasks = tasks(5);

        dispatcher.submit(tasks);
        assertEquals(List.of(1L, 2L), worker.taskIds(format));

        PendingTask[] answered = books.finished(worker.connection(), new long[] {1}, 1_000);
        assertSame(tasks.get(0), answered[0]);
        dispatcher.pump();
        assertEquals(List.of(1L, 2L, 3L), worker.taskIds(format));
    }

    @Test
    void abandonedTask_isDroppedFromTheQueue_andToldSoOutsideTheBooksLock() throws Exception {
        Dispatcher dispatcher = dispatcher(WindowPolicy.fixed(1), 0);
        Fake worker = readyWorker(1);
        dispatcher.workerReady(worker.connection());
        dispatcher.submit(tasks(1)); // fills the worker's window: the next task waits in the queue
        AtomicBoolean abandoned = new AtomicBoolean();
        CompletableFuture<Boolean> booksFreeWhenDropped = new CompletableFuture<>();
        PendingTask waiting = new PendingTask(nextId++, noop, "waiting", new TaskCallback() {
            @Override
            public void succeeded(Object value, TaskUsage usage) {
                throw new AssertionError("an abandoned task never runs");
            }

            @Override
            public void failed(Throwable error) {
                throw new AssertionError("an abandoned task is dropped, not failed");
            }

            @Override
            public boolean abandoned() {
                return abandoned.get();
            }

            @Override
            public void dropped() {
                // Another thread takes the books' lock only if this one does not hold it (it is reentrant).
                booksFreeWhenDropped.complete(CompletableFuture.supplyAsync(books::readyWorkers)
                        .completeOnTimeout(-1, 5, TimeUnit.SECONDS).join() == 1);
            }
        });
        dispatcher.submit(List.of(waiting));
        abandoned.set(true);

        dispatcher.pump();

        assertTrue(booksFreeWhenDropped.getNow(false), "told it was dropped, outside the books' lock");
        assertTrue(dispatcher.drainQueue().isEmpty(), "off the queue");
        assertEquals(List.of(1L), worker.taskIds(format), "never sent");
    }

    @Test
    void finished_anAnswerOutOfOrder_isNoTaskTheWorkerHeld() throws Exception {
        Dispatcher dispatcher = dispatcher(WindowPolicy.fixed(4), 0);
        Fake worker = readyWorker(1);
        dispatcher.workerReady(worker.connection());
        dispatcher.submit(tasks(3));

        PendingTask[] answered = books.finished(worker.connection(), new long[] {2}, 1_000);

        assertNull(answered[0], "a worker answers in the order it was sent tasks: task 1 is still computing");
        assertNull(books.finished(worker.connection(), 99));
    }

    @Test
    void expired_afterTheLimit_takesTheComputingTaskOff_andTheWorkerTakesNoMore() throws Exception {
        Dispatcher dispatcher = dispatcher(WindowPolicy.fixed(2), 0);
        Fake worker = readyWorker(1);
        dispatcher.workerReady(worker.connection());
        List<PendingTask> tasks = tasks(4);
        dispatcher.submit(tasks);

        now.addAndGet(Duration.ofMillis(999).toNanos());
        assertTrue(books.expired().isEmpty(), "not past the limit yet");
        now.addAndGet(Duration.ofMillis(2).toNanos());
        List<WorkerBooks.Expired> expired = books.expired();

        assertEquals(1, expired.size());
        assertSame(tasks.get(0), expired.get(0).task());
        assertTrue(books.isKilled(worker.connection()));
        assertEquals(0, books.readyWorkers());
        dispatcher.pump();
        assertEquals(List.of(1L, 2L), worker.taskIds(format), "nothing more is sent to a worker being killed");
        WorkerBooks.Leftovers leftovers = books.workerEnded(worker.connection());
        assertEquals(List.of(tasks.get(1)), leftovers.held());
        assertEquals(Standing.KILLED, leftovers.standing());
    }

    @Test
    void expired_eachTaskByItsOwnLimit_andNeverWithoutOne() throws Exception {
        Dispatcher dispatcher = dispatcher(WindowPolicy.fixed(1), 0);
        Fake unlimited = readyWorker(1);
        Fake patient = readyWorker(2);
        dispatcher.workerReady(unlimited.connection());
        dispatcher.workerReady(patient.connection());
        dispatcher.submit(List.of(task(1, null), task(2, Duration.ofSeconds(5))));

        now.addAndGet(Duration.ofSeconds(4).toNanos());
        assertTrue(books.expired().isEmpty(), "no limit, and 4 s of 5");
        now.addAndGet(Duration.ofSeconds(2).toNanos());

        List<WorkerBooks.Expired> expired = books.expired();
        assertEquals(1, expired.size());
        assertSame(patient.connection(), expired.get(0).worker());
    }

    @Test
    void expired_theClockOfTheNextTaskStartsWhenTheFirstIsAnswered() throws Exception {
        Dispatcher dispatcher = dispatcher(WindowPolicy.fixed(2), 0);
        Fake worker = readyWorker(1);
        dispatcher.workerReady(worker.connection());
        dispatcher.submit(tasks(2));

        now.addAndGet(Duration.ofMillis(900).toNanos());
        books.finished(worker.connection(), new long[] {1}, 900_000_000);
        now.addAndGet(Duration.ofMillis(900).toNanos());

        assertTrue(books.expired().isEmpty(),
                "task 2 has computed for 900 ms, not 1,800: it waited behind task 1");
    }

    @Test
    void suspect_waitsForAnIdleWorker_andRunsThereAlone() throws Exception {
        Dispatcher dispatcher = dispatcher(WindowPolicy.fixed(4), 0);
        Fake worker = readyWorker(1);
        dispatcher.workerReady(worker.connection());
        dispatcher.submit(tasks(1)); // task 1 computing
        PendingTask suspect = task("suspect"); // task 2
        suspect.blame();

        dispatcher.retry(List.of(suspect));
        dispatcher.submit(tasks(2)); // tasks 3 and 4 queue behind the suspect
        assertEquals(List.of(1L), worker.taskIds(format), "the suspect waits until the worker is idle");

        books.finished(worker.connection(), new long[] {1}, 1_000);
        dispatcher.pump();
        assertEquals(List.of(1L, 2L), worker.taskIds(format), "alone: nothing is sent behind it");

        books.finished(worker.connection(), new long[] {2}, 1_000);
        dispatcher.pump();
        assertEquals(List.of(1L, 2L, 3L, 4L), worker.taskIds(format));
    }

    @Test
    void quota_retiresTheWorker_thenShutsItDownOnceItHoldsNothing() throws Exception {
        Dispatcher dispatcher = dispatcher(WindowPolicy.fixed(4), 2);
        Fake worker = readyWorker(1);
        dispatcher.workerReady(worker.connection());

        dispatcher.submit(tasks(3));

        assertEquals(List.of(worker.connection()), retired);
        assertEquals(List.of(1L, 2L), worker.taskIds(format));
        assertEquals(0, books.readyWorkers());
        books.finished(worker.connection(), new long[] {1, 2}, 1_000);
        dispatcher.pump();
        List<Message> messages = worker.messages(format);
        assertTrue(messages.get(messages.size() - 1) instanceof Shutdown, messages.toString());
        assertEquals(Standing.RETIRED, books.workerEnded(worker.connection()).standing());
    }

    @Test
    void workerEnded_givesBackWhatItHeld_oldestFirst() throws Exception {
        Dispatcher dispatcher = dispatcher(WindowPolicy.fixed(3), 0);
        Fake worker = readyWorker(1);
        dispatcher.workerReady(worker.connection());
        List<PendingTask> tasks = tasks(3);
        dispatcher.submit(tasks);

        WorkerBooks.Leftovers leftovers = books.workerEnded(worker.connection());

        assertEquals(tasks, leftovers.held());
        assertEquals(Standing.ACTIVE, leftovers.standing());
        assertTrue(books.workerEnded(worker.connection()).held().isEmpty(), "given back once");
    }

    @Test
    void unsendableTask_isGivenBack_andTheOthersInItsBatchAreSent() throws Exception {
        Dispatcher dispatcher = dispatcher(WindowPolicy.fixed(3), 0);
        Fake worker = readyWorker(1);
        dispatcher.workerReady(worker.connection());
        PendingTask first = task(1);
        PendingTask cannotTravel = task(new Object()); // no wire type
        PendingTask third = task(3);

        dispatcher.submit(List.of(first, cannotTravel, third));

        assertEquals(List.of(cannotTravel), unsendable);
        assertEquals(List.of(first.id(), third.id()), worker.taskIds(format));
        assertArrayEquals(new PendingTask[] {first}, books.finished(worker.connection(),
                new long[] {first.id()}, 1));
    }

    @Test
    void stop_refusesNewTasks_andDrainQueueGivesBackTheQueued() throws Exception {
        Dispatcher dispatcher = dispatcher(WindowPolicy.fixed(1), 0);
        List<PendingTask> queued = tasks(2);
        dispatcher.submit(queued); // no worker yet: both stay queued

        assertTrue(dispatcher.stop(Duration.ofSeconds(1)));

        assertFalse(dispatcher.submit(tasks(1)));
        assertFalse(dispatcher.retry(tasks(1)));
        assertEquals(queued, dispatcher.drainQueue());
    }

    @Test
    void adaptiveWindow_growsOnceTheWorkerReportsTinyTasks() throws Exception {
        Dispatcher dispatcher = dispatcher(WindowPolicy.adaptive(), 0);
        Fake worker = readyWorker(1);
        dispatcher.workerReady(worker.connection());
        dispatcher.submit(tasks(100));
        assertEquals(1, worker.taskIds(format).size(), "one at a time until the tasks' duration is known");

        books.finished(worker.connection(), new long[] {1}, 10_000); // 10 us a task
        dispatcher.pump();

        assertEquals(1 + 99, worker.taskIds(format).size(), "a millisecond's worth: 100, of which 99 remain");
    }

    @Test
    void adaptiveWindow_aJobNotTimedYet_goesOneTaskPerIdleWorker_thoughAnotherJobTimedTiny() throws Exception {
        Dispatcher dispatcher = dispatcher(WindowPolicy.adaptive(), 0);
        Fake first = readyWorker(1);
        Fake second = readyWorker(2);
        dispatcher.workerReady(first.connection());
        dispatcher.workerReady(second.connection());
        dispatcher.submit(tasks(2)); // noop tasks 1 and 2, one to each worker
        books.finished(first.connection(), new long[] {1}, 10_000); // 10 us a noop task: windows of 100 for it
        books.finished(second.connection(), new long[] {2}, 10_000);
        JobTicket sleep = tickets.of(new SleepJob(1_500));
        List<PendingTask> slow = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            slow.add(task(sleep, i, null)); // tasks 3 to 8
        }

        dispatcher.submit(slow);

        assertEquals(List.of(1L, 3L), first.taskIds(format), "one task of the new job, as nothing says how long it is");
        assertEquals(List.of(2L, 4L), second.taskIds(format), "the other worker gets one too");
        books.finished(first.connection(), new long[] {3}, 1_500_000_000);
        dispatcher.pump();
        assertEquals(List.of(1L, 3L, 5L), first.taskIds(format), "long tasks go one at a time");
        assertEquals(List.of(2L, 4L), second.taskIds(format));
    }

    @Test
    void adaptiveWindow_noTinyTaskQueuesBehindATaskOfAJobNotTimedYet() throws Exception {
        Dispatcher dispatcher = dispatcher(WindowPolicy.adaptive(), 0);
        Fake first = readyWorker(1);
        dispatcher.workerReady(first.connection());
        dispatcher.submit(tasks(1));
        books.finished(first.connection(), new long[] {1}, 10_000); // noop tasks are timed: 10 us each
        dispatcher.submit(List.of(task(tickets.of(new SleepJob(1_500)), 0, null))); // task 2, not timed yet

        dispatcher.submit(tasks(10));
        Fake second = readyWorker(2);
        dispatcher.workerReady(second.connection());

        assertEquals(List.of(1L, 2L), first.taskIds(format), "nothing waits behind a task of unknown length");
        assertEquals(LongStream.rangeClosed(3, 12).boxed().toList(), second.taskIds(format));
    }

    @Test
    void outputEnded_theWorkerTakesNoMore_andWhatItHeldComesBackWithItsEnd() throws Exception {
        Dispatcher dispatcher = dispatcher(WindowPolicy.fixed(2), 0);
        Fake worker = readyWorker(1);
        dispatcher.workerReady(worker.connection());
        List<PendingTask> tasks = tasks(4);
        dispatcher.submit(tasks);

        books.outputEnded(worker.connection());
        books.finished(worker.connection(), new long[] {1}, 1_000);
        dispatcher.pump();

        assertEquals(List.of(1L, 2L), worker.taskIds(format), "nothing more is sent to a worker whose output ended");
        assertEquals(0, books.readyWorkers());
        WorkerBooks.Leftovers leftovers = books.workerEnded(worker.connection());
        assertEquals(List.of(tasks.get(1)), leftovers.held());
        assertEquals(Standing.LOST, leftovers.standing());
    }
}
