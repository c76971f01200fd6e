package dev.procpool.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.job.LongSum;
import dev.procpool.job.Range;
import dev.procpool.jobs.SleepJob;
import dev.procpool.jobs.SqrtJob;
import dev.procpool.protocol.Forget;
import dev.procpool.protocol.FrameReader;
import dev.procpool.protocol.Handshake;
import dev.procpool.protocol.Heartbeat;
import dev.procpool.protocol.JobDefinition;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.Protocol;
import dev.procpool.protocol.ResultBatch;
import dev.procpool.protocol.Shutdown;
import dev.procpool.protocol.TaskBatch;
import dev.procpool.protocol.TaskFailure;
import dev.procpool.protocol.TypeDefinitions;
import dev.procpool.protocol.WireFormat;
import dev.procpool.protocol.WireType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The worker's protocol loop in-process, over byte streams, with the halt captured instead of performed. */
@Timeout(30)
class WorkerTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private static final long SQRT = 1;
    private static final long SLEEP = 2;

    private final CoordinatorSide coordinator = new CoordinatorSide();
    private final WireFormat format = coordinator.format();
    private final CompletableFuture<Integer> halted = new CompletableFuture<>();

    /** The frames of the built-in sqrt and sleep jobs' definitions, then of {@code messages}. */
    private byte[] frames(Message... messages) throws Exception {
        List<Message> all = new ArrayList<>(coordinator.define(SQRT, new SqrtJob()));
        all.addAll(coordinator.define(SLEEP, new SleepJob()));
        all.addAll(List.of(messages));
        return coordinator.frames(all);
    }

    private Worker worker(byte[] input, ByteArrayOutputStream output) {
        return new Worker(new ByteArrayInputStream(input), output, Protocol.DEFAULT_MAX_FRAME_BYTES, halted::complete,
                QUIET);
    }

    @Test
    void run_handshakeFirst_thenAnswersEachTask_thenExitsOnShutdown_sayingWhatItUsedLast() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        byte[] input = frames(new TaskBatch(SQRT, new long[] {1, 2}, new Object[] {new Range(1, 10), new Range(10, 20)}),
                Shutdown.INSTANCE);

        int status = worker(input, output).run();

        assertEquals(WorkerExit.OK, status);
        FrameReader reader = new FrameReader(new ByteArrayInputStream(output.toByteArray()), format,
                Protocol.DEFAULT_MAX_FRAME_BYTES);
        Handshake handshake = reader.readHandshake();
        assertTrue(handshake.matches(format.fingerprint()));
        assertEquals(ProcessHandle.current().pid(), handshake.pid());
        List<Long> ids = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        List<Message> messages = new ArrayList<>();
        Message message;
        while ((message = reader.read()) != null) {
            messages.add(message);
        }
        // A coordinator elsewhere learns what the worker used only from it: the last word of a worker shutting down.
        Heartbeat usage = assertInstanceOf(Heartbeat.class, messages.removeLast());
        assertTrue(usage.cpuNanos() > 0 && usage.residentBytes() > 0, usage.toString());
        assertEquals(0, usage.sequence(), "no heartbeat was asked: it answers none");
        for (Message answer : messages) {
            ResultBatch results = assertInstanceOf(ResultBatch.class, answer);
            Arrays.stream(results.ids()).forEach(ids::add);
            values.addAll(Arrays.asList(results.values()));
        }
        assertEquals(List.of(1L, 2L), ids, "answered in order");
        assertEquals(List.of(new SqrtJob().compute(new Range(1, 10)), new SqrtJob().compute(new Range(10, 20))), values);
    }

    /**
     * A coordinator retiring a worker sends Shutdown and closes its input at once: the worker must still shut down
     * (saying what it used), not halt at the end of its input. Its output is slow here (each flush after the
     * handshake takes 300 ms), so the input's end is read long before the computer is done.
     */
    @Test
    void run_inputEndingRightAfterShutdown_shutsDownSayingWhatItUsed_ratherThanHalting() throws Exception {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        OutputStream slow = new OutputStream() {
            private int flushes;

            @Override
            public void write(int b) {
                written.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                written.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                if (flushes++ > 0) {
                    try {
                        Thread.sleep(300); // a slow pipe, not a wait for anything
                    } catch (InterruptedException e) {
                        throw new InterruptedIOException();
                    }
                }
            }
        };
        Worker worker = new Worker(new ByteArrayInputStream(frames(Shutdown.INSTANCE)), slow,
                Protocol.DEFAULT_MAX_FRAME_BYTES, halted::complete, QUIET);

        assertEquals(WorkerExit.OK, worker.run());

        assertFalse(halted.isDone(), "halted at the end of its input instead of shutting down");
        FrameReader reader = coordinator.reader(written.toByteArray());
        reader.readHandshake();
        assertInstanceOf(Heartbeat.class, reader.read(), "its last word: what it used");
    }

    @Test
    void run_reportsTheCpuTimeOfComputingTasks_andLittleForWaitingOnes() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        byte[] input = frames(TaskBatch.of(1, SQRT, new Range(1, 40_000_000)), TaskBatch.of(2, SLEEP, new Range(0, 5)),
                Shutdown.INSTANCE);

        worker(input, output).run();

        FrameReader reader = new FrameReader(new ByteArrayInputStream(output.toByteArray()), format,
                Protocol.DEFAULT_MAX_FRAME_BYTES);
        reader.readHandshake();
        ResultBatch computed = assertInstanceOf(ResultBatch.class, reader.read());
        ResultBatch waited = assertInstanceOf(ResultBatch.class, reader.read());
        // Time spent waiting for a core (another build on this machine) is neither CPU time nor waiting.
        assertTrue(computed.cpuNanos() + computed.readyNanos() > computed.busyNanos() * 3 / 4, computed.toString());
        assertTrue(waited.busyNanos() >= TimeUnit.MILLISECONDS.toNanos(50), waited.toString());
        assertTrue(waited.cpuNanos() < waited.busyNanos() / 4, waited.toString());
    }

    @Test
    void run_tasksOfAJobNeverDefined_answersEachWithAFailureSayingSo() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        worker(frames(new TaskBatch(99, new long[] {5, 6}, new Object[] {1L, 2L}), Shutdown.INSTANCE), output).run();

        FrameReader reader = coordinator.reader(output.toByteArray());
        reader.readHandshake();
        for (long id : new long[] {5, 6}) {
            TaskFailure failure = assertInstanceOf(TaskFailure.class, reader.read());
            assertEquals(id, failure.taskId());
            assertEquals(TaskFailure.Kind.JOB_UNAVAILABLE, failure.kind());
            assertTrue(failure.error().message().contains("no job was defined under key 99"), failure.error().message());
        }
    }

    /** A job whose record arrives with its configuration: its tasks return that factor times their length. */
    public record ScaledJob(long factor) implements LongSum<Range> {
        @Override
        public String name() {
            return "scaled";
        }

        @Override
        public String description() {
            return "test: the length of each range times the factor";
        }

        @Override
        public long defaultSize() {
            return 10;
        }

        @Override
        public int taskCount(long size, int requested) {
            return 1;
        }

        @Override
        public Range task(long size, int taskCount, int index) {
            return new Range(0, size);
        }

        @Override
        public Long compute(Range range) {
            return range.length() * factor;
        }
    }

    @Test
    void run_recordJob_arrivesWithItsConfiguration() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        List<Message> messages = new ArrayList<>(coordinator.define(7, new ScaledJob(10)));
        messages.addAll(coordinator.define(8, new ScaledJob(3)));
        messages.add(TaskBatch.of(1, 7, new Range(0, 5)));
        messages.add(TaskBatch.of(2, 8, new Range(0, 5)));
        messages.add(Shutdown.INSTANCE);

        worker(coordinator.frames(messages), output).run();

        FrameReader reader = coordinator.reader(output.toByteArray());
        reader.readHandshake();
        List<Object> values = new ArrayList<>();
        Message message;
        while ((message = reader.read()) != null) {
            if (!(message instanceof Heartbeat)) { // the last word of a worker shutting down: what it used
                values.addAll(Arrays.asList(assertInstanceOf(ResultBatch.class, message).values()));
            }
        }
        assertEquals(List.of(50L, 15L), values);
    }

    @Test
    void run_jobWhoseClassIsNotOnTheClassPath_answersEachTaskNamingTheClass_andCarriesOn() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        List<Message> messages = new ArrayList<>(coordinator.define(7, new ScaledJob(10)));
        // The same definition, as a coordinator whose job class this worker lacks would send it.
        TypeDefinitions types = assertInstanceOf(TypeDefinitions.class, messages.get(0));
        JobDefinition scaled = assertInstanceOf(JobDefinition.class, messages.get(1));
        WireType renamed = new WireType(types.firstId(), "com.example.Missing", types.types().get(0).kind(),
                types.types().get(0).shape(), null, null);
        messages = new ArrayList<>(List.of(new TypeDefinitions(types.firstId(), List.of(renamed)),
                new JobDefinition(7, "scaled", "com.example.Missing", scaled.typeIds(), scaled.value()),
                new TaskBatch(7, new long[] {1, 2}, new Object[] {new Range(0, 5), new Range(0, 6)})));
        messages.addAll(coordinator.define(SQRT, new SqrtJob()));
        messages.add(TaskBatch.of(3, SQRT, new Range(1, 2)));
        messages.add(Shutdown.INSTANCE);

        worker(coordinator.frames(messages), output).run();

        FrameReader reader = coordinator.reader(output.toByteArray());
        reader.readHandshake();
        for (long id : new long[] {1, 2}) {
            TaskFailure failure = assertInstanceOf(TaskFailure.class, reader.read());
            assertEquals(id, failure.taskId());
            assertEquals(TaskFailure.Kind.JOB_UNAVAILABLE, failure.kind());
            assertEquals("java.lang.ClassNotFoundException", failure.error().className());
            assertTrue(failure.error().message().contains("class com.example.Missing is not on this worker's class path"),
                    failure.error().message());
        }
        ResultBatch sqrt = assertInstanceOf(ResultBatch.class, reader.read());
        assertEquals(List.of(1.0), Arrays.asList(sqrt.values()), "the worker carries on with other jobs");
    }

    @Test
    void run_forgottenJob_isUnknownAfterwards() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        worker(frames(TaskBatch.of(1, SQRT, new Range(1, 2)), new Forget(new long[] {SQRT}),
                TaskBatch.of(2, SQRT, new Range(1, 2)), Shutdown.INSTANCE), output).run();

        FrameReader reader = coordinator.reader(output.toByteArray());
        reader.readHandshake();
        assertInstanceOf(ResultBatch.class, reader.read());
        assertEquals(TaskFailure.Kind.JOB_UNAVAILABLE, assertInstanceOf(TaskFailure.class, reader.read()).kind());
    }

    @Test
    void run_taskOfTheWrongType_answersWithAFailure() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        worker(frames(TaskBatch.of(6, SQRT, "not a range"), Shutdown.INSTANCE), output).run();

        FrameReader reader = new FrameReader(new ByteArrayInputStream(output.toByteArray()), format,
                Protocol.DEFAULT_MAX_FRAME_BYTES);
        reader.readHandshake();
        TaskFailure failure = assertInstanceOf(TaskFailure.class, reader.read());
        assertEquals("java.lang.ClassCastException", failure.error().className());
    }

    /** A worker serving on pipes, as it would a coordinator: what the test writes, it reads; what it writes, the test reads. */
    private final class PipedWorker {
        final PipedOutputStream toWorker = new PipedOutputStream();
        final FrameReader fromWorker;
        final Worker worker;

        PipedWorker() throws Exception {
            PipedInputStream stdin = new PipedInputStream(toWorker, 1 << 16);
            PipedOutputStream stdout = new PipedOutputStream();
            fromWorker = new FrameReader(new PipedInputStream(stdout, 1 << 16), format, Protocol.DEFAULT_MAX_FRAME_BYTES);
            worker = new Worker(stdin, stdout, Protocol.DEFAULT_MAX_FRAME_BYTES, halted::complete, QUIET);
            Thread serving = new Thread(worker::run, "worker-under-test");
            serving.setDaemon(true);
            serving.start();
            fromWorker.readHandshake();
        }

        void send(Message... messages) throws Exception {
            toWorker.write(coordinator.frames(List.of(messages)));
            toWorker.flush();
        }
    }

    @Test
    void longTask_heartbeatsAreAnsweredWhileItComputes_andTheInputEndingHaltsTheWorkerMidTask() throws Exception {
        PipedWorker worker = new PipedWorker();
        worker.send(coordinator.define(SLEEP, new SleepJob()).toArray(Message[]::new));
        worker.send(TaskBatch.of(1, SLEEP, new Range(0, 0)));
        assertInstanceOf(ResultBatch.class, worker.fromWorker.read());
        Roles roles = worker.worker.roles();
        await().atMost(Duration.ofSeconds(10)).until(() -> roles.reading() && !roles.computing()); // one reads
        worker.send(TaskBatch.of(2, SLEEP, new Range(0, 2_000))); // 20 s, computed by the thread that reads it
        await().atMost(Duration.ofSeconds(10)).until(roles::computing); // until the other thread looks, nobody reads

        worker.send(Heartbeat.asking(7));

        Heartbeat answer = assertInstanceOf(Heartbeat.class, worker.fromWorker.read(), "answered before the result");
        assertEquals(7, answer.sequence());
        worker.toWorker.close();
        assertEquals(WorkerExit.OK, halted.get(5, TimeUnit.SECONDS), "halted while its task still computes");
    }

    @Test
    void taskThatInterruptsItsOwnThread_leavesTheNextTaskUninterrupted_andTheWorkerServing() throws Exception {
        long interrupting = 3;
        PipedWorker worker = new PipedWorker();
        List<Message> definitions = new ArrayList<>(coordinator.define(SLEEP, new SleepJob()));
        definitions.addAll(coordinator.define(interrupting, new SelfInterruptingJob()));
        worker.send(definitions.toArray(Message[]::new));

        // In one send (the next task already queued), then alone (its thread then waits without a role, interrupted).
        worker.send(TaskBatch.of(1, interrupting, new Range(0, 1)), TaskBatch.of(2, SLEEP, new Range(0, 2)));
        worker.send(TaskBatch.of(3, interrupting, new Range(0, 1)));
        List<Long> answered = new ArrayList<>();
        while (answered.size() < 3) {
            Arrays.stream(assertInstanceOf(ResultBatch.class, worker.fromWorker.read()).ids()).forEach(answered::add);
        }
        Roles roles = worker.worker.roles();
        // Until the thread that computed task 3 has given up the computer's role: it waits or reads next, interrupted.
        await().atMost(Duration.ofSeconds(10)).until(() -> !roles.computing());
        worker.send(TaskBatch.of(4, SLEEP, new Range(0, 2)));
        Arrays.stream(assertInstanceOf(ResultBatch.class, worker.fromWorker.read()).ids()).forEach(answered::add);

        assertEquals(List.of(1L, 2L, 3L, 4L), answered);
        assertFalse(halted.isDone());
    }

    @Test
    void tasksOneAtATimeAndInBursts_eachIsAnsweredOnce_inOrder() throws Exception {
        PipedWorker worker = new PipedWorker();
        worker.send(coordinator.define(SQRT, new SqrtJob()).toArray(Message[]::new));
        List<Long> answered = new ArrayList<>();
        long next = 1;
        for (int round = 0; round < 400; round++) {
            int burst = round % 4 == 0 ? 1 + round % 37 : 1; // mostly one at a time: the roles change hands each time
            List<Message> tasks = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                tasks.add(TaskBatch.of(next++, SQRT, new Range(1, 1 + round % 500)));
            }
            worker.send(tasks.toArray(Message[]::new));
            while (answered.size() < next - 1) {
                Message message = worker.fromWorker.read();
                Arrays.stream(assertInstanceOf(ResultBatch.class, message).ids()).forEach(answered::add);
            }
        }

        List<Long> expected = new ArrayList<>();
        for (long id = 1; id < next; id++) {
            expected.add(id);
        }
        assertEquals(expected, answered);
    }

    @Test
    void inputEnds_workerHaltsWithStatusZero() throws Exception {
        PipedOutputStream coordinator = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(coordinator);
        Worker worker = new Worker(stdin, new ByteArrayOutputStream(), Protocol.DEFAULT_MAX_FRAME_BYTES,
                halted::complete, QUIET);
        Thread serving = new Thread(worker::run, "worker-under-test");
        serving.setDaemon(true);
        serving.start();

        coordinator.close();

        assertEquals(WorkerExit.OK, halted.get(10, TimeUnit.SECONDS));
    }

    @Test
    void garbageOnStdin_workerHaltsWithProtocolError() throws Exception {
        Worker worker = worker("this is not a frame".getBytes(), new ByteArrayOutputStream());
        Thread serving = new Thread(worker::run, "worker-under-test");
        serving.setDaemon(true);
        serving.start();

        assertEquals(WorkerExit.PROTOCOL_ERROR, halted.get(10, TimeUnit.SECONDS));
    }
}
