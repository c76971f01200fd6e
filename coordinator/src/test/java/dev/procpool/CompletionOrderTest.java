package dev.procpool;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.procpool.job.TaskFunction;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code mapAsCompleted} is lazy and bounded: the sequential runner computes each input as its output is asked for,
 * and a runner on threads keeps at most a window of inputs submitted ahead of the outputs taken.
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
}
