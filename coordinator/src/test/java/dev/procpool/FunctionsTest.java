package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.job.Shared;
import dev.procpool.job.TaskFunction;
import dev.procpool.testing.EveryRunner;
import dev.procpool.testing.TestPools;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Functions on every runner: {@code map} in input order, futures from {@code submit} and {@code submitAll}, outputs
 * as they complete, the same failure everywhere, and a process pool's refusal, on first use, of what cannot travel.
 * The functions here are records and classes of this test, in no services file.
 */
@Timeout(120)
class FunctionsTest {

    /** A function configured through its component. */
    record Power(int exponent) implements TaskFunction<Long, Long> {
        @Override
        public Long apply(Long x) {
            long result = 1;
            for (int i = 0; i < exponent; i++) {
                result *= x;
            }
            return result;
        }
    }

    /** Waits {@code input} milliseconds, then returns it: outputs complete in the order of their inputs' values. */
    record Waits() implements TaskFunction<Long, Long> {
        @Override
        public Long apply(Long millis) throws InterruptedException {
            Thread.sleep(millis); // the task's workload (a wait that uses no CPU), not a wait for anything
            return millis;
        }
    }

    /** Throws for the input 3; null for even inputs; the input otherwise. */
    record Picky() implements TaskFunction<Long, Long> {
        @Override
        public Long apply(Long x) {
            if (x == 3) {
                throw new IllegalStateException("no threes");
            }
            return x % 2 == 0 ? null : x;
        }
    }

    record Point(int x, int y) {
    }

    /** A generic function: its types are known only from the values. */
    record Identity<T>() implements TaskFunction<T, T> {
        @Override
        public T apply(T input) {
            return input;
        }
    }

    /** Its output type, a collection, cannot travel. */
    record Digits() implements TaskFunction<Long, List<Long>> {
        @Override
        public List<Long> apply(Long x) {
            return List.of(x % 10);
        }
    }

    /** A class whose configuration is a field, which would not arrive in a worker. */
    static final class Offset implements TaskFunction<Long, Long> {
        private final long by;

        Offset(long by) {
            this.by = by;
        }

        @Override
        public Long apply(Long x) {
            return x + by;
        }
    }

    @RegisterExtension
    static final EveryRunner RUNNERS = new EveryRunner(2);

    private static Runner runner(String name) {
        return RUNNERS.runner(name);
    }

    private static void closeUnlessShared(Runner runner) {
        RUNNERS.closeUnlessShared(runner);
    }

    private static List<Long> numbers(long from, long to) {
        return LongStream.range(from, to).boxed().toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "threads", "virtual", "processes"})
    void map_outputsInInputOrder_computedWithTheFunctionsConfiguration(String name) {
        Runner runner = runner(name);
        try {
            List<Long> cubes = runner.map(new Power(3), numbers(0, 200));

            assertEquals(numbers(0, 200).stream().map(x -> x * x * x).toList(), cubes);
            assertEquals(List.of(), runner.map(new Power(3), List.of()));
        } finally {
            closeUnlessShared(runner);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "threads", "virtual", "processes"})
    void map_nullInputsAndOutputs_travelAsNull(String name) {
        Runner runner = runner(name);
        try {
            List<Point> points = Arrays.asList(new Point(1, 2), null, new Point(3, 4));

            assertEquals(points, runner.map(new Identity<Point>(), points));
            assertEquals(Arrays.asList(1L, null, 5L), runner.map(new Picky(), List.of(1L, 2L, 5L)));
        } finally {
            closeUnlessShared(runner);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "threads", "virtual", "processes"})
    void map_aFailingInput_throwsWhatItFailedWith_theSameOnEveryRunner(String name) {
        Runner runner = runner(name);
        try {
            TaskFailedException thrown = assertThrows(TaskFailedException.class,
                    () -> runner.map(new Picky(), numbers(0, 50)));

            assertEquals("FunctionsTest.Picky", thrown.job());
            assertEquals("3", thrown.task());
            assertTrue(thrown.getCause().toString().equals("java.lang.IllegalStateException: no threes"),
                    thrown.getCause().toString());
        } finally {
            closeUnlessShared(runner);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "threads", "virtual", "processes"})
    void submitAndSubmitAll_futuresCompleteWithTheOutputs(String name) throws Exception {
        Runner runner = runner(name);
        try {
            CompletableFuture<Long> one = runner.submit(new Power(2), 12L);
            List<CompletableFuture<Long>> all = runner.submitAll(new Power(2), numbers(0, 20));

            assertEquals(144L, one.get(30, TimeUnit.SECONDS));
            List<Long> squares = new ArrayList<>();
            for (CompletableFuture<Long> future : all) {
                squares.add(future.get(30, TimeUnit.SECONDS));
            }
            assertEquals(numbers(0, 20).stream().map(x -> x * x).toList(), squares);
        } finally {
            closeUnlessShared(runner);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"threads", "virtual", "processes"})
    void mapAsCompleted_handsOutEachOutputAsItCompletes_withItsInput(String name) {
        // A pool of its own whose workers hold one task each, as they do for long tasks: the two run side by side.
        Runner runner = name.equals("processes") ? TestPools.builder(2).tasksInFlightPerWorker(1).start() : runner(name);
        try (Stream<Completed<Long, Long>> outputs = runner.mapAsCompleted(new Waits(), List.of(1_500L, 1L))) {
            List<Completed<Long, Long>> seen = outputs.toList();

            assertEquals(List.of(new Completed<>(1, 1L, 1L), new Completed<>(0, 1_500L, 1_500L)), seen,
                    "the short wait, submitted second, completes first");
        } finally {
            runner.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "threads", "virtual", "processes"})
    void mapAsCompleted_everyInputOnce_orTheFailure(String name) {
        Runner runner = runner(name);
        try {
            Set<Integer> indexes = new HashSet<>();
            try (Stream<Completed<Long, Long>> outputs = runner.mapAsCompleted(new Power(1), numbers(0, 300))) {
                outputs.forEach(done -> {
                    assertEquals((long) done.index(), done.input());
                    assertEquals(done.input(), done.output());
                    assertTrue(indexes.add(done.index()), "once each");
                });
            }
            assertEquals(300, indexes.size());
            try (Stream<Completed<Long, Long>> outputs = runner.mapAsCompleted(new Picky(), List.of(1L, 3L))) {
                TaskFailedException thrown = assertThrows(TaskFailedException.class, () -> outputs.forEach(done -> { }));
                assertEquals("java.lang.IllegalStateException: no threes", thrown.getCause().toString());
            }
        } finally {
            closeUnlessShared(runner);
        }
    }

    @Test
    void processes_lambda_isRefusedOnFirstUse_sayingWhatToWriteInstead() {
        JobNotSendableException thrown = assertThrows(JobNotSendableException.class,
                () -> RUNNERS.processes().map((Long x) -> x + 1, numbers(0, 3)));

        assertTrue(thrown.getMessage().contains("a lambda or method reference does not travel: write a record"),
                thrown.getMessage());
        assertEquals(List.of(1L, 2L, 3L), new SequentialRunner().map((Long x) -> x + 1, numbers(0, 3)),
                "a runner in this JVM runs it");
    }

    @Test
    void processes_outputTypeThatCannotTravel_isRefusedOnFirstUse_beforeComputing() {
        JobNotSendableException thrown = assertThrows(JobNotSendableException.class,
                () -> RUNNERS.processes().submit(new Digits(), 42L));

        assertTrue(thrown.getMessage().startsWith("the output type of function FunctionsTest.Digits is "
                + "java.util.List<java.lang.Long>, which cannot travel between processes: collections and maps do not "
                + "travel"), thrown.getMessage());
        assertThrows(JobNotSendableException.class, () -> ProcessPool.checkSendable(new Digits()));
    }

    /** A function holding an array of handles: each handle must be a component of its own. */
    record SumOfShares(Shared<?>[] shares) implements TaskFunction<Long, Long> {
        @Override
        public Long apply(Long input) {
            return input;
        }
    }

    @Test
    void processes_arrayOfSharedHandles_isRefusedInOneLine_sayingToHoldEachAsAComponent() {
        Shared<?>[] shares = {RUNNERS.processes().share(new double[] {1, 2})};
        try {
            JobNotSendableException thrown = assertThrows(JobNotSendableException.class,
                    () -> RUNNERS.processes().submit(new SumOfShares(shares), 1L));

            assertTrue(thrown.getMessage().contains("is a dev.procpool.job.Shared[], which cannot travel between "
                    + "processes: an array of Shared or WorkerLocal handles does not travel: hold each handle as a "
                    + "record component"), thrown.getMessage());
            assertEquals(1, thrown.getMessage().lines().count(), thrown.getMessage());
        } finally {
            shares[0].close();
        }
    }

    @Test
    void processes_classWithFields_isRefused_makeItARecord() {
        JobNotSendableException thrown = assertThrows(JobNotSendableException.class,
                () -> RUNNERS.processes().map(new Offset(5), numbers(0, 3)));

        assertTrue(thrown.getMessage().contains("instance fields (by)"), thrown.getMessage());
        assertTrue(thrown.getMessage().contains("make it a record"), thrown.getMessage());
    }

    @Test
    void processes_inputOfAClassThatCannotTravel_failsThatInputAlone() throws Exception {
        List<CompletableFuture<Object>> futures = RUNNERS.processes().submitAll(new Identity<>(),
                List.of(7L, new ArrayList<>(List.of(1)), "text"));

        assertEquals(7L, futures.get(0).get(30, TimeUnit.SECONDS));
        Exception failure = assertThrows(Exception.class, () -> futures.get(1).get(30, TimeUnit.SECONDS));
        TaskNotSendableException cause = assertInstanceOf(TaskNotSendableException.class, failure.getCause());
        assertTrue(cause.getMessage().contains("collections and maps do not travel"), cause.getMessage());
        assertEquals("text", futures.get(2).get(30, TimeUnit.SECONDS));
    }
}
