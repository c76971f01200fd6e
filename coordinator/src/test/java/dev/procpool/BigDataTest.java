package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.job.Shared;
import dev.procpool.job.TaskFunction;
import dev.procpool.job.WorkerLocal;
import dev.procpool.jobs.SharedSum;
import dev.procpool.testing.TestPools;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Big inputs and big results: a value many tasks read is sent to each worker once (a large primitive array as a file
 * each maps, a small value inline), a per-worker set-up runs once per worker, and a task or result over the frame limit
 * fails with its own exception naming its size and the limit, while a raised limit lets it through.
 */
@Timeout(120)
class BigDataTest {

    /** The sum of a shared int[] read through {@link Shared#get()}, plus the input. */
    record SumOfCopy(Shared<int[]> values) implements TaskFunction<Integer, Long> {
        @Override
        public Long apply(Integer plus) {
            long sum = 0;
            for (int value : values.get()) {
                sum += value;
            }
            return sum + plus;
        }
    }

    /** Returns a new array of {@code length} longs. */
    record Allocate() implements TaskFunction<Integer, long[]> {
        @Override
        public long[] apply(Integer length) {
            return new long[length];
        }
    }

    /** Returns the length of its input. */
    record Length() implements TaskFunction<long[], Integer> {
        @Override
        public Integer apply(long[] input) {
            return input.length;
        }
    }

    /** Counts, in each JVM, how many times it made its value; the value is this JVM's pid and that count. */
    record CountingSetup(String name) implements WorkerLocal.Setup<String> {
        static final AtomicInteger MADE = new AtomicInteger();

        @Override
        public String make() {
            return ProcessHandle.current().pid() + "#" + MADE.incrementAndGet();
        }
    }

    /** Answers with its JVM's per-worker value. */
    record WhoMadeIt(WorkerLocal<String> made) implements TaskFunction<Integer, String> {
        @Override
        public String apply(Integer ignored) {
            return made.get();
        }
    }

    private static double[] doubles(int count) {
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = i * 0.5;
        }
        return values;
    }

    private static long bytesSent(ProcessPool pool) {
        return pool.workerInfo().stream().mapToLong(WorkerInfo::bytesSent).sum();
    }

    private static List<Double> weights(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> (double) i).toList();
    }

    @Test
    void largeSharedArray_isMappedByEachWorker_notSentThroughThePipes_andSumsAsOnThreads() {
        double[] values = doubles(1 << 19); // 4 MiB: over the size that goes as a file
        List<Double> onThreads;
        try (ThreadRunner threads = new ThreadRunner(2)) {
            onThreads = threads.map(new SharedSum(threads.share(values)), weights(40));
        }
        try (ProcessPool pool = TestPools.builder(2).start()) {
            long before = bytesSent(pool);

            List<Double> inWorkers = pool.map(new SharedSum(pool.share(values)), weights(40));

            assertEquals(onThreads, inWorkers, "the same bits as on threads");
            long sent = bytesSent(pool) - before;
            assertTrue(sent < 64 * 1024, sent + " bytes went through the pipes, for an array of " + values.length * 8);
        }
    }

    @Test
    void smallSharedValue_travelsInlineOncePerWorker_notWithEveryTask() {
        int[] values = IntStream.range(0, 100_000).toArray(); // 400 KB: travels inline
        long expected = (long) 99_999 * 100_000 / 2;
        try (ProcessPool pool = TestPools.builder(2).start()) {
            long before = bytesSent(pool);

            List<Long> sums = pool.map(new SumOfCopy(pool.share(values)), List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
                    10, 11, 12, 13, 14, 15, 16, 17, 18, 19));

            assertEquals(IntStream.range(0, 20).mapToObj(i -> expected + i).toList(), sums);
            long sent = bytesSent(pool) - before;
            assertTrue(sent < 2L * values.length * Integer.BYTES + 64 * 1024,
                    sent + " bytes went through the pipes: more than once per worker");
        }
    }

    @Test
    void sharedValue_reachesReplacementWorkers_too() {
        double[] values = doubles(1 << 18);
        try (ProcessPool pool = TestPools.builder(1).maxTasksPerWorker(3).start()) {
            SharedSum sum = new SharedSum(pool.share(values));

            List<Double> outputs = pool.map(sum, weights(10));

            try (SequentialRunner sequential = new SequentialRunner()) {
                assertEquals(sequential.map(new SharedSum(sequential.share(values)), weights(10)), outputs);
            }
        }
    }

    @Test
    void sharedHandle_ofAnotherRunner_isRefusedSayingWhichPoolToShareItWith() {
        try (ProcessPool pool = TestPools.builder(1).start(); ThreadRunner threads = new ThreadRunner(1)) {
            SharedSum elsewhere = new SharedSum(threads.share(doubles(10)));

            JobNotSendableException thrown = assertThrows(JobNotSendableException.class,
                    () -> pool.map(elsewhere, weights(2)));

            assertTrue(thrown.getMessage().contains("which was not shared with this pool"), thrown.getMessage());
            assertThrows(ShareNotSendableException.class, () -> pool.share(new ArrayList<>(List.of(1))));
            assertThrows(IllegalArgumentException.class, () -> pool.share(null));
        }
    }

    /** Carries its data in a field, inline: the whole array travels in its definition. */
    record Inline(double[] weights) implements TaskFunction<Integer, Double> {
        @Override
        public Double apply(Integer index) {
            return weights[index];
        }
    }

    @Test
    void functionOverTheFrameLimit_isRefusedAtTheCall_sayingItsSizeTheLimitAndBothWaysOut() {
        Inline inline = new Inline(doubles(2_600_000)); // 20.8 MB, over the default 16 MiB limit
        try (ProcessPool pool = TestPools.builder(1).start()) {
            JobNotSendableException refused = assertThrows(JobNotSendableException.class,
                    () -> pool.map(inline, List.of(0)));

            String message = refused.getMessage();
            assertTrue(message.startsWith("function BigDataTest.Inline (" + Inline.class.getName() + ") is 20,8"),
                    message);
            assertTrue(message.contains(" bytes encoded, over the frame limit of 16,777,216 bytes, so it cannot be "
                    + "sent to the workers; hold the data it carries as a shared value (runner.share(value)"), message);
            assertTrue(message.contains("or raise the limit to at least 20,8"), message);
            assertTrue(message.endsWith(" bytes (ProcessPoolBuilder.maxFrameBytes)"), message);
            assertFalse(message.contains("\n"), message);
            assertEquals(List.of(1.0), pool.map(new Inline(doubles(3)), List.of(2)), "the pool is unharmed");
        }
    }

    /** Takes a handle as its input, which cannot travel as a task. */
    record HandleInput() implements TaskFunction<Shared<double[]>, Double> {
        @Override
        public Double apply(Shared<double[]> values) {
            return values.get()[0];
        }
    }

    @Test
    void sharedHandleAsATask_isRefused_itTravelsInsideTheFunction() {
        JobNotSendableException thrown = assertThrows(JobNotSendableException.class,
                () -> ProcessPool.checkSendable(new HandleInput()));

        assertTrue(thrown.getMessage().contains("travels inside a job or function (as a record component), never as a "
                + "task or a result"), thrown.getMessage());
    }

    @Test
    void workerLocal_isMadeOncePerWorker_andOnceInThisJvmOnThreads() {
        WhoMadeIt who = new WhoMadeIt(WorkerLocal.of(new CountingSetup("once per worker")));
        try (ProcessPool pool = TestPools.builder(2).start()) {
            Set<String> made = new HashSet<>(pool.map(who, IntStream.range(0, 200).boxed().toList()));

            assertTrue(made.size() <= 2, "at most one per worker: " + made);
            for (String value : made) {
                assertTrue(value.endsWith("#1"), "made once in its worker: " + made);
            }
        }
        try (ThreadRunner threads = new ThreadRunner(4)) {
            Set<String> made = new HashSet<>(threads.map(who, IntStream.range(0, 200).boxed().toList()));

            assertEquals(Set.of(ProcessHandle.current().pid() + "#" + CountingSetup.MADE.get()), made,
                    "one value for every thread of this JVM");
        }
    }

    @Test
    void taskOverTheFrameLimit_failsWithItsSizeAndTheLimit_andWhatToDo() {
        try (ProcessPool pool = TestPools.builder(1).maxFrameBytes(1 << 20).start()) {
            Throwable failure = assertThrows(ExecutionException.class,
                    () -> pool.submit(new Length(), new long[1 << 18]).get(30, TimeUnit.SECONDS)).getCause();

            FrameTooLargeException tooLarge = assertInstanceOf(FrameTooLargeException.class, failure);
            assertEquals(FrameTooLargeException.Payload.TASK, tooLarge.payload());
            assertEquals(1 << 20, tooLarge.limit());
            assertTrue(tooLarge.bytes() > 8L << 18, "its size: " + tooLarge.bytes());
            assertTrue(tooLarge.getMessage().startsWith("task long[262144] of job BigDataTest.Length is 2,097,1"),
                    tooLarge.getMessage());
            assertTrue(tooLarge.getMessage().contains("over the frame limit of 1,048,576 bytes"), tooLarge.getMessage());
            assertTrue(tooLarge.getMessage().contains("share(value)"), tooLarge.getMessage());
        }
    }

    @Test
    void resultOverTheFrameLimit_failsWithItsSize_andARaisedLimitLetsItThrough() throws Exception {
        try (ProcessPool pool = TestPools.builder(1).maxFrameBytes(1 << 20).start()) {
            Throwable failure = assertThrows(ExecutionException.class,
                    () -> pool.submit(new Allocate(), 1 << 18).get(30, TimeUnit.SECONDS)).getCause();

            FrameTooLargeException tooLarge = assertInstanceOf(FrameTooLargeException.class, failure);
            assertEquals(FrameTooLargeException.Payload.RESULT, tooLarge.payload());
            assertTrue(tooLarge.bytes() > 8L << 18, "its size: " + tooLarge.bytes());
            assertTrue(tooLarge.getMessage().contains("computed a result of 2,097,1"), tooLarge.getMessage());
            assertTrue(tooLarge.getMessage().contains("on worker 1 (pid "), tooLarge.getMessage());
            assertEquals(7, pool.submit(new Allocate(), 7).get(30, TimeUnit.SECONDS).length, "the worker carries on");
        }
        try (ProcessPool pool = TestPools.builder(1).maxFrameBytes(4 << 20).start()) {
            long[] large = pool.submit(new Allocate(), 1 << 18).get(30, TimeUnit.SECONDS);
            assertArrayEquals(new long[1 << 18], large);
            assertEquals(1 << 18, pool.submit(new Length(), large).get(30, TimeUnit.SECONDS));
        }
    }
}
