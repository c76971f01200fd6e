package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.internal.TaskCallback;
import dev.procpool.internal.TaskSink;
import dev.procpool.job.Job;
import dev.procpool.job.LongSum;
import dev.procpool.measure.TaskUsage;
import dev.procpool.jobs.SqrtJob;
import dev.procpool.testing.ThirdFailsJob;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How a job run splits, folds and fails, on the in-process runners. */
@Timeout(60)
class JobDriverTest {

    @Test
    void run_foldsInTaskOrder_whateverTheCompletionOrder() {
        SqrtJob job = new SqrtJob();
        double expected = 0;
        for (int i = 0; i < 1000; i++) {
            expected += job.compute(job.task(100_000, 1000, i));
        }

        try (ThreadRunner threads = new ThreadRunner(4)) {
            assertEquals(expected, threads.run(job, 100_000, 1000).value());
        }
    }

    @Test
    void run_failFast_stopsSubmittingAfterTheFirstFailure() {
        CountingRunner counting = new CountingRunner();

        JobFailedException failure = assertThrows(JobFailedException.class,
                () -> counting.run(new ThirdFailsJob(), 100, 100));

        assertEquals(1, failure.failures().size());
        assertEquals(4, counting.submitted.get(), "tasks 0-3 submitted, nothing after the failure");
        TaskFailedException cause = assertInstanceOf(TaskFailedException.class, failure.failures().get(0).cause());
        assertEquals("the calling thread", cause.location());
    }

    @Test
    void run_keepGoing_runsEveryTaskAndReportsEachFailure() {
        CountingRunner counting = new CountingRunner();

        JobFailedException failure = assertThrows(JobFailedException.class,
                () -> counting.run(new ThirdFailsJob(), 100, 100, true));

        assertEquals(100, counting.submitted.get());
        assertEquals(1, failure.failures().size());
        assertTrue(failure.getMessage().contains("task 4 of 100 ([3, 4)) threw java.lang.IllegalStateException: boom 3"),
                failure.getMessage());
    }

    @Test
    void run_threads_failureNamesTheThread() {
        try (ThreadRunner threads = new ThreadRunner(2)) {
            JobFailedException failure = assertThrows(JobFailedException.class,
                    () -> threads.run(new ThirdFailsJob(), 8, 8));

            TaskFailedException cause = assertInstanceOf(TaskFailedException.class, failure.failures().get(0).cause());
            assertTrue(cause.location().startsWith("thread procpool-thread-"), cause.location());
        }
    }

    @Test
    void run_sizeOutOfRange_isRefused() {
        SequentialRunner sequential = new SequentialRunner();

        assertThrows(IllegalArgumentException.class, () -> sequential.run(new SqrtJob(), 0, 1));
        assertThrows(IllegalArgumentException.class, () -> sequential.run(new SqrtJob(), (1L << 53) + 1, 1));
        assertThrows(IllegalArgumentException.class, () -> sequential.run(new SqrtJob(), 10, 0));
    }

    @Test
    void run_manyMoreTasksThanTheWindow_completesWithTheExactSum() {
        try (ThreadRunner threads = new ThreadRunner(2)) {
            // 20,000 one-number tasks: far more than the driver keeps in flight.
            JobResult<Double> result = threads.run(new SqrtJob(), 20_001, 20_000);

            assertEquals(20_000, result.tasks());
            assertEquals(new SequentialRunner().run(new SqrtJob(), 20_001, 20_000).value(), result.value());
        }
    }

    @Test
    void threadRunner_close_failsTasksThatNeverStarted() {
        ThreadRunner threads = new ThreadRunner(1);
        CompletableFuture<Long> blocker = threads.submit(new HangingJob(), 0L);
        CompletableFuture<Long> queued = threads.submit(new HangingJob(), 1L);

        threads.close();

        // Settled within close; the future itself completes on a completion thread, a moment later.
        assertThrows(ExecutionException.class, () -> blocker.get(10, TimeUnit.SECONDS));
        Throwable cause = assertThrows(Exception.class, queued::join).getCause();
        assertInstanceOf(PoolClosedException.class, cause);
    }

    @Test
    void run_runnerFailsPartWayThroughABatch_eachTaskCountsItsFirstOutcomeOnly() {
        JobFailedException failure = assertThrows(JobFailedException.class,
                () -> new FirstOfEachBatchRunner().run(new SqrtJob(), 4, 4, true));

        int count = new SqrtJob().taskCount(4, 4);
        assertEquals(IntStream.range(1, count).boxed().toList(),
                failure.failures().stream().map(TaskError::index).sorted().toList(),
                "task 0 succeeded before the rest were refused: " + failure.getMessage());
        failure.failures().forEach(error -> assertInstanceOf(PoolClosedException.class, error.cause()));
    }

    @Test
    void run_progressListenerThrowsAnError_runFailsWithItInsteadOfWaiting() {
        StackOverflowError overflow = new StackOverflowError("a listener's own error");

        JobFailedException failure = assertThrows(JobFailedException.class, () -> new SequentialRunner().run(
                new SqrtJob(), 100, 4, false, (done, total) -> {
                    throw overflow;
                }));

        assertEquals(overflow, failure.failures().get(0).cause());
    }

    /**
     * Computes the first task of each batch and settles it, then refuses the rest of the batch, as a runner
     * closing part-way through a submission does.
     */
    private static final class FirstOfEachBatchRunner extends AbstractRunner {
        @Override
        public Mode mode() {
            return Mode.SEQUENTIAL;
        }

        @Override
        public int workers() {
            return 1;
        }

        @Override
        TaskSink sink() {
            return this::execute;
        }

        private <T> void execute(Job<T, ?> job, List<T> tasks, List<? extends TaskCallback> callbacks) {
            try {
                callbacks.get(0).succeeded(job.compute(tasks.get(0)), TaskUsage.NONE);
            } catch (Exception e) {
                callbacks.get(0).failed(e);
            }
            throw new PoolClosedException("closed part-way through a submission");
        }

        @Override
        boolean isClosed() {
            return false;
        }

        @Override
        public void close() {
        }
    }

    /** A runner that counts the tasks handed to it before handing them on to a sequential runner. */
    private static final class CountingRunner extends AbstractRunner {
        private final SequentialRunner delegate = new SequentialRunner();
        private final AtomicInteger submitted = new AtomicInteger();

        @Override
        public Mode mode() {
            return delegate.mode();
        }

        @Override
        public int workers() {
            return delegate.workers();
        }

        @Override
        TaskSink sink() {
            return this::execute;
        }

        private <T> void execute(Job<T, ?> job, List<T> tasks, List<? extends TaskCallback> callbacks) {
            for (int i = 0; i < tasks.size(); i++) {
                if (callbacks.get(i).abandoned()) {
                    continue; // the run no longer wants it: it never reaches the runner
                }
                submitted.incrementAndGet();
                delegate.sink().execute(job, List.of(tasks.get(i)), List.of(callbacks.get(i)));
            }
        }

        @Override
        boolean isClosed() {
            return delegate.isClosed();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** Waits until interrupted: a task that only closing the runner ends. */
    private static final class HangingJob implements LongSum<Long> {
        @Override
        public String name() {
            return "hanging";
        }

        @Override
        public String description() {
            return "waits until interrupted";
        }

        @Override
        public long defaultSize() {
            return 1;
        }

        @Override
        public int taskCount(long size, int requested) {
            return 1;
        }

        @Override
        public Long task(long size, int taskCount, int index) {
            return (long) index;
        }

        @Override
        public Long compute(Long task) throws InterruptedException {
            new CountDownLatch(1).await(60, TimeUnit.SECONDS);
            return task;
        }
    }
}
