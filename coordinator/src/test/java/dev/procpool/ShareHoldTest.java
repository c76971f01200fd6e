package dev.procpool;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.job.LongSum;
import dev.procpool.job.Range;
import dev.procpool.job.RangeJob;
import dev.procpool.job.Shared;
import dev.procpool.job.TaskFunction;
import dev.procpool.protocol.SharedValue;
import dev.procpool.testing.EveryRunner;
import dev.procpool.testing.Gate;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every way a call can end lets go of its hold on the shared values its function or job holds, on every runner where
 * that way exists, and not before: a value closed during the call stays readable (on a process pool, its file stays on
 * disk) until the call is done, and is released once it is (on a process pool, once its tasks have settled too).
 * Tasks wait at a {@link Gate} so that a call is surely still running where the test says it is.
 */
@Timeout(120)
class ShareHoldTest {

    /** 2 MiB: on a process pool, a file the workers map, whose deletion shows the release. */
    private static final int ELEMENTS = 1 << 18;
    private static final long BYTES = (long) ELEMENTS * Double.BYTES;
    /** What {@link GatedRead} does with its input. */
    private static final int AT_ONCE = 0;
    private static final int AFTER_GATE = 1;
    private static final int FAIL_AFTER_GATE = 2;

    @RegisterExtension
    static final EveryRunner RUNNERS = new EveryRunner(2);

    /** Reads the size of its shared array: at once, or once its gate is open, and then fails if asked to. */
    record GatedRead(Shared<double[]> values, String gate) implements TaskFunction<Integer, Long> {
        @Override
        public Long apply(Integer input) throws Exception {
            if (input != AT_ONCE) {
                Gate.pass(gate);
            }
            if (input == FAIL_AFTER_GATE) {
                throw new IllegalStateException("failing as the test asks");
            }
            return values.segment().byteSize();
        }
    }

    /** A job whose every task reads the size of its shared array. */
    record ReadingJob(Shared<double[]> values) implements RangeJob<Long>, LongSum<Range> {
        @Override
        public String name() {
            return "reading";
        }

        @Override
        public String description() {
            return "test-only: the size of a shared array, once per task";
        }

        @Override
        public long defaultSize() {
            return 10;
        }

        @Override
        public Long compute(Range range) {
            return values.segment().byteSize();
        }
    }

    /** Reads two shared arrays. */
    record TwoReads(Shared<double[]> first, Shared<double[]> second) implements TaskFunction<Integer, Long> {
        @Override
        public Long apply(Integer input) {
            return first.segment().byteSize() + second.segment().byteSize();
        }
    }

    /** A call made on a thread of its own, so that a runner computing on the calling thread blocks that one. */
    private record Call<R>(Thread thread, CompletableFuture<R> result) {
        static <R> Call<R> start(Supplier<R> call) {
            CompletableFuture<R> result = new CompletableFuture<>();
            Thread thread = Thread.ofPlatform().daemon().name("share-hold-call").start(() -> {
                try {
                    result.complete(call.get());
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
            return new Call<>(thread, result);
        }

        R get() throws Exception {
            return result.get(30, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sequential", "threads", "virtual", "processes"})
    void map_endedBeforeTheClose_holdsNothing_andTheCloseReleases(String name) {
        on(name, runner -> {
            Shared<double[]> shared = runner.share(new double[ELEMENTS]);

            assertEquals(List.of(BYTES, BYTES), runner.map(new GatedRead(shared, ""), List.of(AT_ONCE, AT_ONCE)));

            assertEquals(0, value(shared).holds(), "the map is done");
            assertKept(shared, "not closed yet");
            shared.close();
            awaitReleased(shared);
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sequential", "threads", "virtual", "processes"})
    void run_endedBeforeTheClose_holdsNothing_andTheCloseReleases(String name) {
        on(name, runner -> {
            Shared<double[]> shared = runner.share(new double[ELEMENTS]);

            assertEquals(4 * BYTES, runner.run(new ReadingJob(shared), 4, 4).value());

            assertEquals(0, value(shared).holds(), "the run is done");
            assertKept(shared, "not closed yet");
            shared.close();
            awaitReleased(shared);
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sequential", "threads", "virtual", "processes"})
    void map_closedWhileItRuns_keepsTheValueUntilItReturns(String name) {
        on(name, runner -> {
            try (Gate gate = Gate.closed()) {
                Shared<double[]> shared = runner.share(new double[ELEMENTS]);
                Call<List<Long>> call = Call.start(() -> runner.map(new GatedRead(shared, gate.key()),
                        List.of(AT_ONCE, AFTER_GATE)));
                awaitHeld(shared);

                shared.close();
                assertKeptWhileRunning(shared, call.result());

                gate.open();
                assertEquals(List.of(BYTES, BYTES), call.get());
                awaitReleased(shared);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sequential", "threads", "virtual", "processes"})
    void map_taskFails_releasesOnceTheCallHasThrown(String name) {
        on(name, runner -> {
            try (Gate gate = Gate.closed()) {
                Shared<double[]> shared = runner.share(new double[ELEMENTS]);
                Call<List<Long>> call = Call.start(() -> runner.map(new GatedRead(shared, gate.key()),
                        List.of(AT_ONCE, FAIL_AFTER_GATE)));
                awaitHeld(shared);

                shared.close();
                assertKeptWhileRunning(shared, call.result());

                gate.open();
                ExecutionException failed = assertThrows(ExecutionException.class, call::get);
                assertInstanceOf(TaskFailedException.class, failed.getCause());
                awaitReleased(shared);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sequential", "threads", "virtual", "processes"})
    void map_taskFails_withTasksStillQueued_releasesOnceTheyAreDropped(String name) {
        on(name, runner -> {
            try (Gate gate = Gate.closed()) {
                Shared<double[]> shared = runner.share(new double[ELEMENTS]);
                // More tasks than the workers hold: those still queued when the first fails are dropped, never run.
                List<Integer> inputs = new ArrayList<>(List.of(FAIL_AFTER_GATE));
                inputs.addAll(Collections.nCopies(200, AFTER_GATE));
                Call<List<Long>> call = Call.start(() -> runner.map(new GatedRead(shared, gate.key()), inputs));
                awaitHeld(shared);

                shared.close();
                gate.open();

                assertThrows(ExecutionException.class, call::get);
                awaitReleased(shared);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"threads", "virtual", "processes"})
    void map_interruptedWhileWaiting_letsGoOfItsHold(String name) {
        on(name, runner -> {
            try (Gate gate = Gate.closed()) {
                Shared<double[]> shared = runner.share(new double[ELEMENTS]);
                Call<List<Long>> call = Call.start(() -> runner.map(new GatedRead(shared, gate.key()),
                        List.of(AFTER_GATE, AFTER_GATE)));
                awaitHeld(shared);
                shared.close();
                assertKeptWhileRunning(shared, call.result());

                call.thread().interrupt();

                ExecutionException interrupted = assertThrows(ExecutionException.class, call::get);
                assertInstanceOf(WaitInterruptedException.class, interrupted.getCause());
                assertEquals(0, value(shared).holds(), "the call is done");
                if (name.equals("processes")) {
                    assertKept(shared, "its tasks are still computing in the workers");
                } else {
                    awaitReleased(shared); // a task still running on a thread may find it released
                }
                gate.open();
                awaitReleased(shared);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sequential", "threads", "virtual", "processes"})
    void submit_timedOut_releasesOnceTheFutureHasFailed(String name) {
        boolean onCaller = name.equals("sequential");
        // The sequential runner computes on the calling thread and fails the task once it returns past its limit:
        // the time the task waits at the gate must exceed it. The others fail it at the limit, while it waits.
        Duration limit = onCaller ? Duration.ofMillis(1) : Duration.ofSeconds(1);
        on(name, runner -> {
            try (Gate gate = Gate.closed()) {
                Shared<double[]> shared = runner.share(new double[ELEMENTS]);
                Call<CompletableFuture<Long>> call = Call.start(() -> runner.submit(new GatedRead(shared, gate.key()),
                        AFTER_GATE, limit));
                awaitHeld(shared);
                shared.close();
                CompletableFuture<Long> task = call.result().thenCompose(future -> future);
                assertKeptUnlessDone(shared, task);

                if (onCaller) {
                    gate.open();
                }
                ExecutionException timedOut = assertThrows(ExecutionException.class,
                        () -> task.get(30, TimeUnit.SECONDS));
                assertInstanceOf(TaskTimeoutException.class, timedOut.getCause());
                awaitReleased(shared);
                gate.open();
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"threads", "virtual", "processes"})
    void submit_cancelled_releasesOnceTheTaskIsStopped(String name) {
        on(name, runner -> {
            try (Gate gate = Gate.closed()) {
                Shared<double[]> shared = runner.share(new double[ELEMENTS]);
                CompletableFuture<Long> task = runner.submit(new GatedRead(shared, gate.key()), AFTER_GATE);
                assertEquals(1, value(shared).holds(), "held from the call");
                shared.close();
                assertKeptWhileRunning(shared, task);

                assertTrue(task.cancel(true));

                awaitReleased(shared);
                gate.open();
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sequential", "threads", "virtual", "processes"})
    void submitAll_releasesOnceItsLastFutureCompletes(String name) {
        boolean onCaller = name.equals("sequential");
        on(name, runner -> {
            try (Gate gate = Gate.closed()) {
                Shared<double[]> shared = runner.share(new double[ELEMENTS]);
                Call<List<CompletableFuture<Long>>> call = Call.start(() -> runner.submitAll(
                        new GatedRead(shared, gate.key()), List.of(AT_ONCE, AFTER_GATE)));
                awaitHeld(shared);
                shared.close();
                if (!onCaller) {
                    // The sequential runner computes both inputs inside the call, which waits at the gate meanwhile.
                    assertEquals(BYTES, call.get().get(0).get(30, TimeUnit.SECONDS));
                }
                assertKept(shared, "the second task waits at the gate");

                gate.open();
                for (CompletableFuture<Long> future : call.get()) {
                    assertEquals(BYTES, future.get(30, TimeUnit.SECONDS));
                }
                awaitReleased(shared);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sequential", "threads", "virtual", "processes"})
    void mapAsCompleted_consumedToTheEnd_releasesOnceTheStreamIsExhausted(String name) {
        on(name, runner -> {
            try (Gate gate = Gate.closed()) {
                Shared<double[]> shared = runner.share(new double[ELEMENTS]);
                Call<List<Long>> call = Call.start(() -> runner.mapAsCompleted(new GatedRead(shared, gate.key()),
                        List.of(AT_ONCE, AFTER_GATE)).map(Completed::output).toList());
                awaitHeld(shared);

                shared.close();
                assertKeptWhileRunning(shared, call.result());

                gate.open();
                assertEquals(List.of(BYTES, BYTES), call.get());
                awaitReleased(shared);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sequential", "threads", "virtual", "processes"})
    void mapAsCompleted_closedEarly_releasesOnceTheStreamIsClosed(String name) {
        on(name, runner -> {
            try (Gate gate = Gate.closed()) {
                Shared<double[]> shared = runner.share(new double[ELEMENTS]);
                Stream<Completed<Integer, Long>> stream = runner.mapAsCompleted(new GatedRead(shared, gate.key()),
                        List.of(AT_ONCE, AFTER_GATE, AFTER_GATE));
                Iterator<Completed<Integer, Long>> outputs = stream.iterator();
                assertEquals(BYTES, outputs.next().output());
                shared.close();
                assertKept(shared, "the stream is open");

                stream.close();

                assertEquals(0, value(shared).holds(), "the call is done");
                if (!name.equals("processes")) {
                    // A pool's tasks already sent to workers hold the value until they settle.
                    awaitReleased(shared);
                }
                gate.open();
                awaitReleased(shared);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sequential", "threads", "virtual", "processes"})
    void refusedCall_whoseSecondShareWasClosed_letsGoOfTheFirst(String name) {
        on(name, runner -> {
            Shared<double[]> first = runner.share(new double[ELEMENTS]);
            Shared<double[]> second = runner.share(new double[] {1});
            second.close();

            assertThrows(JobNotSendableException.class, () -> runner.map(new TwoReads(first, second), List.of(0)));

            assertEquals(0, value(first).holds(), "the hold taken on the first value is given back");
            assertKept(first, "not closed yet");
            first.close();
            awaitReleased(first);
        });
    }

    /** Runs {@code test} with the runner of this name, closed afterwards unless it is the shared pool. */
    private static void on(String name, ThrowingConsumer<Runner> test) {
        Runner runner = RUNNERS.runner(name);
        try {
            test.accept(runner);
        } catch (Exception e) {
            throw new AssertionError(name + ": " + e, e);
        } finally {
            RUNNERS.closeUnlessShared(runner);
        }
    }

    /** A test body, which may throw. */
    private interface ThrowingConsumer<T> {
        void accept(T value) throws Exception;
    }

    private static SharedValue<?> value(Shared<?> shared) {
        return (SharedValue<?>) shared;
    }

    /** Waits until the call made on another thread holds the value. */
    private static void awaitHeld(Shared<?> shared) {
        await().atMost(Duration.ofSeconds(30)).until(() -> value(shared).holds() == 1);
    }

    /** The value is there: not released, and on a process pool its file still on disk. */
    private static void assertKept(Shared<?> shared, String why) {
        SharedValue<?> value = value(shared);
        assertFalse(value.isReleased(), why);
        if (value.file() != null) {
            assertTrue(Files.exists(value.file()), why + ": " + value.file());
        }
    }

    /** The call is still running, so the value closed meanwhile is kept. */
    private static void assertKeptWhileRunning(Shared<?> shared, CompletableFuture<?> call) {
        assertKept(shared, "the call is running");
        assertFalse(call.isDone(), "the call waits at the gate");
    }

    /** The value is kept unless the call ended already (a time limit may be quicker than this thread). */
    private static void assertKeptUnlessDone(Shared<?> shared, CompletableFuture<?> call) {
        boolean released = value(shared).isReleased(); // read before the call's state: released, then still running?
        if (!call.isDone()) {
            assertFalse(released, "released while the call was still running");
        }
    }

    /** Waits until the value is released: in this JVM, and on a process pool its file deleted. */
    private static void awaitReleased(Shared<?> shared) {
        SharedValue<?> value = value(shared);
        await().atMost(Duration.ofSeconds(30)).until(() -> value.isReleased()
                && (value.file() == null || !Files.exists(value.file())));
        assertEquals(0, value.holds(), "no call holds it");
    }
}
