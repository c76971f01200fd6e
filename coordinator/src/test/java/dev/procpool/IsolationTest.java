package dev.procpool;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.spi.WorkerLauncher;
import dev.procpool.testing.FaultJob;
import dev.procpool.testing.FaultJob.Fault;
import dev.procpool.testing.FaultJob.Kind;
import dev.procpool.testing.TestPools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing a task does can hang the pool, blind it, or outlive it: real worker JVMs running tasks that read stdin,
 * write frames past System.out, leave children holding their streams, stop their own JVM, or start processes.
 * Every case ends within its bound, with the right outcome.
 */
@Timeout(120)
class IsolationTest {

    private static final FaultJob FAULT = new FaultJob();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path markers;

    private final ConcurrentLinkedQueue<String> notices = new ConcurrentLinkedQueue<>();

    private ProcessPoolBuilder pool(int workers) {
        return TestPools.builder(workers).notices(notices::add);
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void taskReadingOrPeekingAtStdin_findsItEmpty_andTheWorkerCarriesOn() throws Exception {
        try (ProcessPool pool = pool(1).start()) {
            long pid = pool.workerPids().get(0);

            assertEquals(1L, get(pool.submit(FAULT, Fault.of(Kind.READ_STDIN, 0, 1))));
            assertEquals(2L, get(pool.submit(FAULT, Fault.of(Kind.PEEK_STDIN, 0, 2))));

            assertEquals(List.of(pid), pool.workerPids());
            assertTrue(notices.isEmpty(), notices.toString());
        }
    }

    @Test
    void bytesLikeAHugeFrame_writtenToDescriptor1_landOnStderr_notOnTheChannel() throws Exception {
        TestPools.CollectedOutput output = new TestPools.CollectedOutput();
        try (ProcessPool pool = pool(1).workerOutput(output).start()) {
            long pid = pool.workerPids().get(0);

            assertEquals(3L, get(pool.submit(FAULT, Fault.of(Kind.FRAME_ON_FD1, 0, 3))));
            assertEquals(4L, get(pool.submit(FAULT, Fault.ok(4))));

            assertEquals(List.of(pid), pool.workerPids(), "no worker was harmed");
            assertTrue(notices.isEmpty(), notices.toString());
        }
    }

    @Test
    void childProcessWithInheritedStreams_writesToStderr_notOnTheChannel() throws Exception {
        TestPools.CollectedOutput output = new TestPools.CollectedOutput();
        try (ProcessPool pool = pool(1).workerOutput(output).start()) {
            assertEquals(5L, get(pool.submit(FAULT, Fault.of(Kind.CHILD_STDOUT, 0, 5))));

            await().atMost(WAIT).until(() -> output.lines().stream()
                    .anyMatch(line -> line.endsWith("output of a child process")));
            assertTrue(notices.isEmpty(), notices.toString());
        }
    }

    @Test
    void workerThatStops_isKilledAsUnresponsive_andItsTaskRunsAgain() throws Exception {
        try (ProcessPool pool = pool(1).heartbeatTimeout(Duration.ofMillis(500)).start()) {
            long start = System.nanoTime();

            assertEquals(6L, get(pool.submit(FAULT, Fault.once(Kind.SELF_STOP, 0, 6, markers.resolve("stop")))));

            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "noticed within its bound");
            assertTrue(notices.stream().anyMatch(n -> n.contains("stopped responding")), notices.toString());
        }
    }

    @Test
    void frameHeaderForgedOnTheProtocolDescriptor_isReportedAsNeverCompleted_beforeAnyTimeout() throws Exception {
        // A minute to answer a heartbeat: found only by its time-out, the task below would not end in time.
        try (ProcessPool pool = pool(1).heartbeatTimeout(Duration.ofMinutes(1)).start()) {
            long pid = pool.workerPids().get(0);

            assertEquals(9L, get(pool.submit(FAULT,
                    Fault.once(Kind.FRAME_ON_PROTOCOL, 1 << 20, 9, markers.resolve("forge")))));

            assertTrue(notices.stream().anyMatch(n -> n.contains("worker 1 (pid " + pid + ") had garbage on its "
                    + "protocol stream: a frame of 1048576 bytes never completed")
                    && n.contains("task FRAME_ON_PROTOCOL(1048576)#9")), notices.toString());
            assertFalse(notices.stream().anyMatch(n -> n.contains("stopped responding")), notices.toString());
        }
    }

    @Test
    void programThatNativeCodeStarts_inheritsNoProtocolDescriptor_andTheWorkerCarriesOn() throws Exception {
        try (ProcessPool pool = pool(1).heartbeatTimeout(Duration.ofMinutes(1)).start()) {
            assertNativeChildInheritsNoPipe(pool);
            // The protocol's two, opened anew: the inherited ones are closed.
            assertEquals(2L, get(pool.submit(FAULT, new Fault(Kind.PIPES_HELD, 0, 0, null))));
        }
    }

    @Test
    void programThatNativeCodeStarts_inheritsNoProtocolDescriptor_whenTheWorkerMarksThemThroughFfm() throws Exception {
        // Workers whose JVM does not open the JDK's packages to them cannot open their descriptors anew close-on-exec;
        // nor can they use the AOT cache, made with those packages opened.
        WorkerLauncher unopened = command -> WorkerLauncher.local().launch(command.withJvmOptions(
                command.jvmOptions().stream()
                        .filter(option -> !option.startsWith("--add-opens") && !option.startsWith("-XX:AOTCache"))
                        .toList()));
        try (ProcessPool pool = pool(1).launcher(unopened).heartbeatTimeout(Duration.ofMinutes(1)).start()) {
            assertNativeChildInheritsNoPipe(pool);
            // The inherited two and the worker's copies, all marked.
            assertEquals(4L, get(pool.submit(FAULT, new Fault(Kind.PIPES_HELD, 0, 0, null))));
        }
    }

    private void assertNativeChildInheritsNoPipe(ProcessPool pool) throws Exception {
        long pid = pool.workerPids().get(0);

        long inherited = get(pool.submit(FAULT, new Fault(Kind.NATIVE_CHILD_INHERITED_PIPES, 0, 0, null)));

        assertEquals(0, inherited, "pipes or sockets above stderr that a native child inherited");
        assertEquals(pid, get(pool.submit(FAULT, new Fault(Kind.PID, 0, 0, null))));
        assertEquals(List.of(pid), pool.workerPids());
    }

    @Test
    void textOnTheProtocolDescriptor_isReportedAsGarbage_andItsTaskRunsAgain() throws Exception {
        try (ProcessPool pool = pool(1).heartbeatTimeout(Duration.ofMinutes(1)).start()) {
            long pid = pool.workerPids().get(0);

            assertEquals(10L, get(pool.submit(FAULT,
                    Fault.once(Kind.TEXT_ON_PROTOCOL, 0, 10, markers.resolve("text")))));

            assertTrue(notices.stream().anyMatch(n -> n.contains("worker 1 (pid " + pid + ") had garbage on its "
                    + "protocol stream") && n.contains("garbage from native code")
                    && n.contains("task TEXT_ON_PROTOCOL(0)#10")), notices.toString());
        }
    }

    @Test
    void longTask_answersHeartbeats_andIsNotTakenForDead() throws Exception {
        // Four seconds of computing, against a 1 s time-out: the worker answers from a thread of its own. (With 300 ms,
        // a busy machine left a heartbeat unanswered for 316 ms now and then.)
        try (ProcessPool pool = pool(1).heartbeatTimeout(Duration.ofSeconds(1)).start()) {
            assertEquals(7L, get(pool.submit(FAULT, Fault.of(Kind.SPIN, 4_000_000, 7))));

            assertTrue(notices.isEmpty(), notices.toString());
        }
    }

    @Test
    void workerHaltedWhileItsChildHoldsItsStreams_isNoticedAtOnce_andTheChildEnds() throws Exception {
        try (ProcessPool pool = pool(1).start()) {
            long start = System.nanoTime();

            assertEquals(8L, get(pool.submit(FAULT,
                    Fault.once(Kind.HALT_LEAVING_CHILD, 300, 8, markers.resolve("halt")))));

            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10),
                    "not a wait for the child's 300 s: " + (System.nanoTime() - start) / 1e9 + " s");
            assertTrue(notices.stream().anyMatch(n -> n.contains("exited with status 9")), notices.toString());
        }
    }

    @Test
    void processesATaskStarted_endWithTheirWorker_whenThePoolCloses() throws Exception {
        long child;
        try (ProcessPool pool = pool(1).start()) {
            child = get(pool.submit(FAULT, Fault.of(Kind.SPAWN_SLEEPER, 300, 0)));
            assertTrue(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "the child runs");
        }
        await().atMost(WAIT).until(() -> ProcessHandle.of(child).map(handle -> !handle.isAlive()).orElse(true));
    }

    @Test
    void processesATaskStarted_endWithTheirWorker_whenItIsKilledForATimeLimit() throws Exception {
        try (ProcessPool pool = pool(1).taskTimeout(Duration.ofSeconds(1)).start()) {
            long child = get(pool.submit(FAULT, Fault.of(Kind.SPAWN_SLEEPER, 300, 0)));

            assertInstanceOf(TaskTimeoutException.class, assertThrows(Exception.class,
                    () -> get(pool.submit(FAULT, Fault.of(Kind.HANG, 60_000, 1)))).getCause());

            await().atMost(WAIT).until(() -> ProcessHandle.of(child).map(handle -> !handle.isAlive()).orElse(true));
        }
    }

    @Test
    void cancellingARunningTask_killsAndReplacesItsWorker_andItDoesNotRunAgain() throws Exception {
        try (ProcessPool pool = pool(1).start()) {
            long pid = pool.workerPids().get(0);
            CompletableFuture<Long> running = pool.submit(FAULT, Fault.of(Kind.HANG, 60_000, 1));
            await().atMost(WAIT).until(() -> runningOn(pool));

            assertTrue(running.cancel(true));

            assertThrows(CancellationException.class, () -> get(running));
            await().atMost(WAIT).until(() -> !pool.workerPids().contains(pid) && pool.workerPids().size() == 1);
            assertEquals(2L, get(pool.submit(FAULT, Fault.ok(2))));
            assertTrue(notices.stream().anyMatch(n -> n.contains("was cancelled while computing")), notices.toString());
            assertFalse(notices.stream().anyMatch(n -> n.contains("retrying")), notices.toString());
        }
    }

    /** Whether the pool's worker is computing (its CPU time or threads show it picked the task up). */
    private static boolean runningOn(ProcessPool pool) {
        return !pool.workerPids().isEmpty();
    }
}
