package dev.procpool;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.procpool.job.Shared;
import dev.procpool.job.TaskFunction;
import dev.procpool.jobs.SharedSum;
import dev.procpool.protocol.SharedValue;
import dev.procpool.testing.EveryRunner;
import dev.procpool.testing.TestPools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The life of a shared value: taken as it is at share() (a change afterwards reaches no worker); once closed, read by
 * the calls made before the close for as long as they run and refused to calls made after, on every runner; released
 * when the last of those calls is done (its file deleted, workers told to let go); and refused at share() when it must
 * travel inline and does not fit in a frame.
 */
@Timeout(120)
class SharingTest {

    /** The sum of a shared int[], read through {@link Shared#get()}, plus the input. */
    record SumOfCopy(Shared<int[]> values) implements TaskFunction<Integer, Long> {
        @Override
        public Long apply(Integer plus) {
            return Arrays.stream(values.get()).asLongStream().sum() + plus;
        }
    }

    /** Sleeps for its input in milliseconds, then reads its shared value. */
    record SlowRead(Shared<int[]> values) implements TaskFunction<Integer, Integer> {
        @Override
        public Integer apply(Integer millis) throws InterruptedException {
            // The task's workload, not a wait for something: it keeps later tasks queued while the share is closed
            // (a latch cannot cross into the worker processes).
            Thread.sleep(millis);
            return values.get().length;
        }
    }

    /** A table that travels inline whatever its size: a record, not a primitive array. */
    record Table(int[] cells) {
    }

    /** Reads a shared table. */
    record TableSize(Shared<Table> table) implements TaskFunction<Integer, Integer> {
        @Override
        public Integer apply(Integer ignored) {
            return table.get().cells().length;
        }
    }

    /** A function whose value is large: each distinct one is a megabyte of definition. */
    record Heavy(byte[] ballast, int tag) implements TaskFunction<Integer, Integer> {
        @Override
        public Integer apply(Integer input) {
            return ballast.length + tag + input;
        }
    }

    private static List<Integer> inputs(int count) {
        return IntStream.range(0, count).boxed().toList();
    }

    private static double[] doubles(int count) {
        double[] values = new double[count];
        Arrays.setAll(values, i -> i * 0.25);
        return values;
    }

    @Test
    void inlineValue_changedAfterShare_everyWorkerSeesItAsShared() {
        int[] values = IntStream.range(0, 10_000).toArray();
        long expected = Arrays.stream(values).asLongStream().sum();
        try (ProcessPool pool = TestPools.builder(2).maxTasksPerWorker(5).start()) {
            SumOfCopy sum = new SumOfCopy(pool.share(values));
            Arrays.fill(values, 1); // after share(): no worker may see this

            List<Long> first = pool.map(sum, inputs(20));
            Arrays.fill(values, 2);
            List<Long> second = pool.map(sum, inputs(20)); // by replacement workers: the first retired after 5 tasks

            List<Long> wanted = inputs(20).stream().map(i -> expected + i).toList();
            assertEquals(wanted, first);
            assertEquals(wanted, second);
        }
    }

    @Test
    void largeArray_changedAfterShare_everyWorkerSeesItAsShared() {
        double[] values = doubles(1 << 18); // 2 MiB: goes as a file
        double[] original = values.clone();
        List<Double> weights = List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0);
        List<Double> expected;
        try (SequentialRunner sequential = new SequentialRunner()) {
            expected = sequential.map(new SharedSum(sequential.share(original)), weights);
        }
        try (ProcessPool pool = TestPools.builder(2).start()) {
            SharedSum sum = new SharedSum(pool.share(values));
            Arrays.fill(values, 7.0);

            assertEquals(expected, pool.map(sum, weights));
        }
    }

    @Test
    void closedShare_cannotBeRead_andAFunctionHoldingItIsRefusedAtTheCall_alikeOnEveryRunner() {
        try (EveryRunner runners = new EveryRunner(2)) {
            runners.start();
            List<String> messages = new ArrayList<>();
            for (String name : List.of("sequential", "threads", "virtual", "processes")) {
                Runner runner = runners.runner(name);
                try {
                    Shared<int[]> shared = runner.share(new int[] {1, 2, 3});
                    SumOfCopy sum = new SumOfCopy(shared);
                    assertEquals(List.of(6L, 7L), runner.map(sum, inputs(2)), name);

                    shared.close();
                    shared.close(); // idempotent

                    IllegalStateException read = assertThrows(IllegalStateException.class, shared::get, name);
                    assertTrue(read.getMessage().contains("was closed"), read.getMessage());
                    JobNotSendableException refused = assertThrows(JobNotSendableException.class,
                            () -> runner.map(sum, inputs(2)), name);
                    assertTrue(refused.getMessage().contains("which was closed: share the value again"),
                            refused.getMessage());
                    assertEquals(SumOfCopy.class.getName(), refused.jobClass(), name);
                    messages.add(refused.getMessage().replace(shared.toString(), "Shared[id]"));
                    assertThrows(JobNotSendableException.class, () -> runner.submit(sum, 1), name);
                    assertThrows(JobNotSendableException.class, () -> runner.submitAll(sum, inputs(2)), name);
                    assertThrows(JobNotSendableException.class, () -> runner.mapAsCompleted(sum, inputs(2)), name);
                    assertThrows(JobNotSendableException.class, () -> runner.submit(sum, 1, Duration.ofMinutes(1)),
                            name);
                    assertThrows(JobNotSendableException.class,
                            () -> runner.map(new Nested(new SumOfCopy(shared)), inputs(1)), name);
                } finally {
                    runners.closeUnlessShared(runner);
                }
            }
            assertEquals(1, messages.stream().distinct().count(), "the same message on every runner: " + messages);
        }
    }

    /** Holds a function that holds a shared value: a closed one is found a record deeper. */
    record Nested(SumOfCopy inner) implements TaskFunction<Integer, Long> {
        @Override
        public Long apply(Integer plus) {
            return inner.apply(plus);
        }
    }

    @Test
    void checkSendable_functionHoldingAnOpenShare_passesWhicheverRunnerSharedIt_andAClosedOneIsRefused() {
        try (Runner threads = new ThreadRunner(1); ProcessPool pool = TestPools.builder(1).start()) {
            for (Runner runner : List.of(threads, pool)) {
                Shared<int[]> shared = runner.share(new int[] {1, 2, 3});

                ProcessPool.checkSendable(new SumOfCopy(shared));

                shared.close();
                JobNotSendableException refused = assertThrows(JobNotSendableException.class,
                        () -> ProcessPool.checkSendable(new SumOfCopy(shared)), runner.mode().toString());
                assertTrue(refused.getMessage().contains("which was closed: share the value again"),
                        refused.getMessage());
            }
        }
    }

    @Test
    void shareAfterClose_failsWithPoolClosedException_onEveryRunner() {
        List<Runner> runners = List.of(new SequentialRunner(), new ThreadRunner(1), new VirtualThreadRunner(1),
                TestPools.builder(1).start());
        for (Runner runner : runners) {
            runner.close();

            PoolClosedException thrown = assertThrows(PoolClosedException.class, () -> runner.share(new int[] {1}),
                    runner.mode().toString());
            assertTrue(thrown.getMessage().endsWith(" is closed: share values with a runner that is open"),
                    thrown.getMessage());
        }
    }

    @Test
    void closedLargeArray_fileIsDeleted_andWorkersUnmapIt() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "reads the workers' mappings from /proc");
        try (ProcessPool pool = TestPools.builder(1).start()) {
            Shared<double[]> shared = pool.share(doubles(1 << 18));
            Path file = ((SharedValue<?>) shared).file();
            assertTrue(Files.exists(file), "written for the workers to map: " + file);
            pool.map(new SharedSum(shared), List.of(1.0));
            long worker = pool.workerPids().get(0);
            assertTrue(mappings(worker).contains(file.getFileName().toString()), "mapped by the worker");

            shared.close();
            assertFalse(Files.exists(file), "deleted when closed: " + file);
            // The worker hears of it before the next tasks it is sent.
            assertEquals(List.of(3L), pool.map(new SumOfCopy(pool.share(new int[] {1, 2})), List.of(0)));

            await().atMost(Duration.ofSeconds(10)).until(() -> !mappings(worker).contains(
                    file.getFileName().toString()));
        }
    }

    private static String mappings(long pid) throws IOException {
        return Files.readString(Path.of("/proc/" + pid + "/maps"));
    }

    @Test
    void tasksSubmittedBeforeTheirShareIsClosed_allReadIt_evenThoseStillWaiting() throws Exception {
        try (ProcessPool pool = TestPools.builder(1).start()) {
            List<CompletableFuture<Integer>> futures;
            try (Shared<int[]> shared = pool.share(new int[] {1, 2, 3})) {
                futures = pool.submitAll(new SlowRead(shared), List.of(100, 100, 100, 100, 100, 100));
            }

            for (CompletableFuture<Integer> future : futures) {
                assertEquals(3, future.get(30, TimeUnit.SECONDS), "submitted before the close, so it reads the value");
            }
        }
    }

    @Test
    void callsMadeBeforeTheClose_readTheValueAfterIt_newCallsAreRefused_thenItIsReleased_onEveryRunner()
            throws Exception {
        try (EveryRunner runners = new EveryRunner(2)) {
            runners.start();
            for (String name : List.of("sequential", "threads", "virtual", "processes")) {
                Runner runner = runners.runner(name);
                try {
                    Shared<int[]> shared = runner.share(new int[] {1, 2, 3});
                    SlowRead read = new SlowRead(shared);
                    CompletableFuture<Integer> one = runner.submit(read, 200);
                    List<CompletableFuture<Integer>> all = runner.submitAll(read, List.of(200, 200, 200));
                    Stream<Completed<Integer, Integer>> stream = runner.mapAsCompleted(read, List.of(0, 200, 200));

                    shared.close();

                    assertThrows(JobNotSendableException.class, () -> runner.submit(read, 0), name);
                    assertEquals(3, one.get(30, TimeUnit.SECONDS), name);
                    for (CompletableFuture<Integer> future : all) {
                        assertEquals(3, future.get(30, TimeUnit.SECONDS), name);
                    }
                    assertEquals(List.of(3, 3, 3), stream.map(Completed::output).toList(), name);
                    await().atMost(Duration.ofSeconds(10)).until(((SharedValue<?>) shared)::isReleased);
                    assertThrows(IllegalStateException.class, shared::get, name);
                } finally {
                    runners.closeUnlessShared(runner);
                }
            }
        }
    }

    @Test
    void mapAsCompleted_shareClosedRightAfterTheCall_everyInputOfMoreThanAWindowReadsIt() {
        int count = 20_000; // more than the window on 2 workers: most inputs are submitted after the close
        try (ProcessPool pool = TestPools.builder(2).start()) {
            Stream<Completed<Integer, Long>> stream;
            Shared<int[]> kept;
            try (Shared<int[]> shared = pool.share(new int[] {1, 2, 3})) {
                stream = pool.mapAsCompleted(new SumOfCopy(shared), inputs(count));
                kept = shared;
            }

            long total = stream.mapToLong(Completed::output).sum();

            assertEquals(6L * count + (long) count * (count - 1) / 2, total);
            await().atMost(Duration.ofSeconds(10)).until(((SharedValue<?>) kept)::isReleased);
        }
    }

    @Test
    void mapAsCompleted_streamClosedBeforeItsEnd_letsGoOfAClosedShare() {
        try (ProcessPool pool = TestPools.builder(2).start()) {
            Shared<int[]> shared = pool.share(new int[] {1, 2, 3});
            try (Stream<Completed<Integer, Long>> stream = pool.mapAsCompleted(new SumOfCopy(shared), inputs(5_000))) {
                shared.close();
                assertEquals(10, stream.limit(10).count());
                assertFalse(((SharedValue<?>) shared).isReleased(), "the stream is open: it may still read the value");
            }

            await().atMost(Duration.ofSeconds(10)).until(((SharedValue<?>) shared)::isReleased);
        }
    }

    @Test
    void largeArrayClosedRightAfterSubmit_everyTaskReadsIt_thenItsFileIsDeleted() throws Exception {
        try (ProcessPool pool = TestPools.builder(2).start()) {
            for (int round = 0; round < 20; round++) {
                double[] values = doubles((1 << 17) * (1 + round % 3)); // 1-3 MiB: a file workers map
                Object expected = new SharedSum(SharedValue.local(values)).apply(1.0);
                Shared<double[]> shared = pool.share(values);
                Path file = ((SharedValue<?>) shared).file();
                CompletableFuture<?> future = pool.submit(new SharedSum(shared), 1.0);
                shared.close();

                assertEquals(expected, future.get(30, TimeUnit.SECONDS), "round " + round);
                await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(file));
            }
        }
    }

    @Test
    void valueThatCannotTravel_isRefusedAtShareOnAProcessPool_sayingWhatToUseInstead_andSharedOnThreads() {
        try (EveryRunner runners = new EveryRunner(1)) {
            runners.start();
            ShareNotSendableException refused = assertThrows(ShareNotSendableException.class,
                    () -> runners.processes().share(List.of("a", "b")));

            assertEquals("[a, b]", refused.value());
            assertFalse(refused.getMessage().contains("\n"), refused.getMessage());
            assertTrue(refused.getMessage().startsWith("the value to share cannot travel between processes: "
                    + "collections and maps do not travel"), refused.getMessage());
            assertTrue(refused.getMessage().contains("hold the data in byte[], int[], long[] or double[], or a record"),
                    refused.getMessage());
            for (String name : List.of("sequential", "threads", "virtual")) {
                Runner runner = runners.runner(name);
                try (Shared<List<String>> shared = runner.share(List.of("a", "b"))) {
                    assertEquals(List.of("a", "b"), shared.get(), name);
                } finally {
                    runners.closeUnlessShared(runner);
                }
            }
        }
    }

    @Test
    void inlineValueOverTheFrameLimit_isRefusedAtShare_sayingItsSizeTheLimitAndWhatToDo() {
        try (ProcessPool pool = TestPools.builder(1).maxFrameBytes(1 << 20).start()) {
            FrameTooLargeException tooLarge = assertThrows(FrameTooLargeException.class,
                    () -> pool.share(new Table(new int[400_000])));

            assertEquals(FrameTooLargeException.Payload.SHARED_VALUE, tooLarge.payload());
            assertTrue(tooLarge.bytes() > 1_600_000, "its size: " + tooLarge.bytes());
            assertEquals(1 << 20, tooLarge.limit());
            assertNull(tooLarge.job());
            assertTrue(tooLarge.getMessage().startsWith("the value to share, "), tooLarge.getMessage());
            assertTrue(tooLarge.getMessage().contains("over the frame limit of 1,048,576 bytes"),
                    tooLarge.getMessage());
            assertTrue(tooLarge.getMessage().contains("share it in parts"), tooLarge.getMessage());
            assertTrue(tooLarge.getMessage().contains("ProcessPoolBuilder.maxFrameBytes"), tooLarge.getMessage());
            // The pool is unharmed.
            assertEquals(List.of(3), pool.map(new TableSize(pool.share(new Table(new int[3]))), List.of(0)));
        }
    }

    @Test
    void manyLargeFunctions_workersHoldABoundedNumberOfBytesOfThem() {
        // 120 distinct functions of a megabyte each: a worker with a 96 MB heap that kept them all would run out of
        // memory; it is told to forget the oldest past its byte budget, and sent one again if it comes again.
        byte[] ballast = new byte[1 << 20];
        try (ProcessPool pool = TestPools.builder(1).retries(0).start()) {
            for (int round = 0; round < 2; round++) {
                for (int tag = 0; tag < 120; tag++) {
                    assertEquals(List.of(ballast.length + tag + round), pool.map(new Heavy(ballast, tag),
                            List.of(round)));
                }
            }
        }
    }
}
