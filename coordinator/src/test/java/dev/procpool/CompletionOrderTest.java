package dev.procpool;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.job.TaskFunction;
import dev.procpool.testing.EveryRunner;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code mapAsCompleted} is lazy and bounded: the sequential runner computes each input as its output is asked for,
 * and every other runner pulls and submits at most a window of inputs ahead of the outputs taken, so endless inputs
 * work.
 */
@Timeout(60)
class CompletionOrderTest {

    /** Counts the inputs it was applied to, in this JVM. */
    record Counted(AtomicInteger applied) implements TaskFunction<Integer, Integer> {
        @Override
        public Integer apply(Integer input) {
            applied.incrementAndGet();
            return input;
        }
    }

    /** Doubles its input; no state, so it travels to worker processes. */
    record Doubled() implements TaskFunction<Long, Long> {
        @Override
        public Long apply(Long input) {
            return 2 * input;
        }
    }

    /** Takes {@code millis} before it returns its input; no state, so it travels to worker processes. */
    record Slow(long millis) implements TaskFunction<Long, Long> {
        @Override
        public Long apply(Long input) {
            try {
                Thread.sleep(millis); // a task that computes for a while, so that its output is not there at once
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return input;
        }
    }

    @RegisterExtension
    static final EveryRunner RUNNERS = new EveryRunner(2);

    /**
     * A million numbers from 0, as an iterable that is no collection, counting how many were pulled: many more than a
     * window, and few enough that copying them all (the fault this guards against) fails the test rather than the JVM.
     */
    private static Iterable<Long> million(AtomicLong pulled) {
        return () -> LongStream.range(0, 1_000_000).peek(n -> pulled.incrementAndGet()).boxed().iterator();
    }

    private static List<Integer> inputs(int count) {
        return IntStream.range(0, count).boxed().toList();
    }

    @Test
    void sequential_computesEachInput_whenItsOutputIsAskedFor() {
        AtomicInteger applied = new AtomicInteger();
        try (SequentialRunner runner = new SequentialRunner();
                Stream<Completed<Integer, Integer>> outputs = runner.mapAsCompleted(new Counted(applied), inputs(10))) {
            assertEquals(0, applied.get(), "nothing computed before the first output is asked for");
            Iterator<Completed<Integer, Integer>> iterator = outputs.iterator();

            assertEquals(0, iterator.next().output());
            assertEquals(1, applied.get());
            assertEquals(1, iterator.next().output());
            assertEquals(2, applied.get());
        }
        assertEquals(2, applied.get(), "the inputs not asked for never ran");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "threads", "virtual", "processes"})
    void manyInputs_arePulledAtMostAWindowAhead_onEveryRunner(String name) {
        Runner runner = RUNNERS.runner(name);
        AtomicLong pulled = new AtomicLong();
        try (Stream<Completed<Long, Long>> outputs = runner.mapAsCompleted(new Doubled(), million(pulled))) {
            List<Completed<Long, Long>> firstThree = outputs.limit(3).toList();

            assertEquals(3, firstThree.size());
            firstThree.forEach(done -> assertEquals(2 * done.input(), done.output()));
            firstThree.forEach(done -> assertEquals(done.index(), done.input().intValue()));
            long window = name.equals("sequential") ? 1 : JobDriver.window(runner.workers(), Integer.MAX_VALUE);
            // The third output was asked for with two taken: at most a window ahead of those two.
            assertTrue(pulled.get() <= window + 2, "pulled " + pulled.get() + " inputs, the window is " + window);
        } finally {
            RUNNERS.closeUnlessShared(runner);
        }
    }

    @Test
    void threads_keepAtMostAWindowOfInputsAheadOfTheOutputsTaken() {
        int count = 50_000;
        int window = JobDriver.window(1, count);
        AtomicInteger applied = new AtomicInteger();
        try (ThreadRunner runner = new ThreadRunner(1);
                Stream<Completed<Integer, Integer>> outputs = runner.mapAsCompleted(new Counted(applied),
                        inputs(count))) {
            Iterator<Completed<Integer, Integer>> iterator = outputs.iterator();
            iterator.next();

            await().atMost(Duration.ofSeconds(20)).until(() -> applied.get() == window);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> applied.get() == window);

            int taken = 1;
            while (iterator.hasNext()) {
                iterator.next();
                taken++;
            }
            assertEquals(count, taken);
            assertEquals(count, applied.get());
        }
    }

    @Test
    void count_computesEveryInput_ratherThanTakingTheInputsCount() {
        AtomicInteger applied = new AtomicInteger();
        try (SequentialRunner runner = new SequentialRunner();
                Stream<Completed<Integer, Integer>> outputs = runner.mapAsCompleted(new Counted(applied), inputs(10))) {
            assertEquals(10, outputs.count());
        }
        assertEquals(10, applied.get(), "count() took every output, so a failing input would have been seen");
    }

    @Test
    void closedRunner_refusesAtTheCall_onEveryInJvmRunner() {
        for (Runner runner : List.<Runner>of(new SequentialRunner(), new ThreadRunner(1), new VirtualThreadRunner(1))) {
            runner.close();

            assertThrows(PoolClosedException.class, () -> runner.mapAsCompleted(new Counted(new AtomicInteger()),
                    inputs(3)), runner.mode().toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"threads", "virtual", "processes"})
    void interruptedConsumer_getsWaitInterrupted_withItsFlagSetAgain_andTheRunnerStaysOpen(String name) {
        Runner runner = RUNNERS.runner(name);
        try {
            try (Stream<Completed<Long, Long>> outputs = runner.mapAsCompleted(new Slow(300), List.of(1L, 2L))) {
                Iterator<Completed<Long, Long>> iterator = outputs.iterator();
                Thread.currentThread().interrupt();

                WaitInterruptedException interrupted = assertThrows(WaitInterruptedException.class, iterator::next);

                assertTrue(Thread.interrupted(), "the interrupt flag is set again");
                assertTrue(interrupted.getMessage().startsWith("interrupted while waiting for the next output"),
                        interrupted.getMessage());
                assertEquals(WaitInterruptedException.Wait.NEXT_OUTPUT, interrupted.waitedFor());
                assertEquals("CompletionOrderTest.Slow", interrupted.job());
            }
            Thread.currentThread().interrupt();
            WaitInterruptedException inMap = assertThrows(WaitInterruptedException.class,
                    () -> runner.map(new Slow(300), List.of(1L)), "map too");
            assertEquals(WaitInterruptedException.Wait.RESULTS, inMap.waitedFor());
            assertEquals("CompletionOrderTest.Slow", inMap.job());
            assertTrue(Thread.interrupted(), "map sets the interrupt flag again too");

            assertEquals(List.of(2L, 4L), runner.map(new Doubled(), List.of(1L, 2L)), "the runner is still open");
        } finally {
            Thread.interrupted();
            RUNNERS.closeUnlessShared(runner);
        }
    }
}
