package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.job.LongSum;
import dev.procpool.jobs.SleepJob;
import dev.procpool.testing.ThirdFailsJob;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One virtual thread per task, a bounded number at once: overlap, the bound, failures and close. */
@Timeout(60)
class VirtualThreadRunnerTest {

    @Test
    void tenThousandWaits_allWaitAtOnce() {
        // Each task waits until all 10,000 are waiting: the run completes only if every one of them overlapped.
        Rendezvous job = new Rendezvous(10_000);

        try (VirtualThreadRunner virtual = new VirtualThreadRunner(10_000)) {
            JobResult<Long> result = virtual.run(job, 10_000, 10_000);

            assertEquals(10_000L, result.value());
        }
        assertEquals(10_000, job.mostAtOnce.get());
    }

    @Test
    void limit_isTheMostThatRunAtOnce() {
        // Groups of three meet at a barrier: three at once must be possible, and a fourth never runs with them.
        Rendezvous job = new Rendezvous(3);

        try (VirtualThreadRunner virtual = new VirtualThreadRunner(3)) {
            assertEquals(300L, virtual.run(job, 300, 300).value());
        }
        assertEquals(3, job.mostAtOnce.get());
    }

    @Test
    void jobRun_reportsTheTasksWallTime_butNoCpuTime() {
        try (VirtualThreadRunner virtual = new VirtualThreadRunner(8)) {
            JobResult<Long> result = virtual.run(new SleepJob(), 8, 8);

            assertEquals(8L, result.value());
            assertTrue(result.usage().wallNanos() >= TimeUnit.MILLISECONDS.toNanos(80), result.usage().toString());
            assertFalse(result.usage().cpuMeasured(), "a virtual thread's CPU time is not measurable");
        }
    }

    @Test
    void failingTask_namesItsVirtualThread() {
        try (VirtualThreadRunner virtual = new VirtualThreadRunner(4)) {
            JobFailedException failure = assertThrows(JobFailedException.class,
                    () -> virtual.run(new ThirdFailsJob(), 8, 8));

            TaskFailedException cause = assertInstanceOf(TaskFailedException.class, failure.failures().get(0).cause());
            assertTrue(cause.location().startsWith("virtual thread procpool-virtual-"), cause.location());
            assertTrue(cause.getCause().getMessage().contains("boom 3"), cause.getCause().getMessage());
        }
    }

    @Test
    void submit_computesOnAVirtualThread() throws Exception {
        try (VirtualThreadRunner virtual = new VirtualThreadRunner(1)) {
            CompletableFuture<Long> where = virtual.submit(new WhereJob(), 0L);

            assertEquals(1L, where.get(10, TimeUnit.SECONDS), "computed on a virtual thread");
        }
    }

    @Test
    void close_failsTasksThatNeverStarted_interruptsRunningOnes_andRefusesMore() {
        VirtualThreadRunner virtual = new VirtualThreadRunner(1);
        Hanging job = new Hanging();
        CompletableFuture<Long> running = virtual.submit(job, 0L);
        CompletableFuture<Long> queued = virtual.submit(job, 1L);
        awaitStarted(job);

        virtual.close();

        // Settled within close; the future itself completes on a completion thread, a moment later.
        Throwable interrupted = assertThrows(ExecutionException.class, () -> running.get(10, TimeUnit.SECONDS))
                .getCause();
        assertEquals(InterruptedException.class.getName(),
                assertInstanceOf(TaskFailedException.class, interrupted).errorClassName());
        Throwable never = assertThrows(Exception.class, queued::join).getCause();
        assertInstanceOf(PoolClosedException.class, never);
        Throwable afterClose = assertThrows(Exception.class, () -> virtual.submit(job, 2L).join()).getCause();
        assertInstanceOf(PoolClosedException.class, afterClose, "submit after close fails the future");
        virtual.close(); // idempotent
    }

    @Test
    void limitBelowOne_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new VirtualThreadRunner(0));
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
    }

    private static void awaitStarted(Hanging job) {
        try {
            assertTrue(job.started.await(10, TimeUnit.SECONDS), "the first task started");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** One task per unit of size; tasks meet in groups of {@code group} at a barrier, and count how many run at once. */
    private static final class Rendezvous implements LongSum<Long> {
        private final CyclicBarrier barrier;
        private final AtomicInteger running = new AtomicInteger();
        private final AtomicInteger mostAtOnce = new AtomicInteger();

        Rendezvous(int group) {
            this.barrier = new CyclicBarrier(group);
        }

        @Override
        public String name() {
            return "rendezvous";
        }

        @Override
        public String description() {
            return "waits for its group at a barrier";
        }

        @Override
        public long defaultSize() {
            return 1;
        }

        @Override
        public Long task(long size, int taskCount, int index) {
            return (long) index;
        }

        @Override
        public int taskCount(long size, int requested) {
            return (int) size;
        }

        @Override
        public Long compute(Long task) throws InterruptedException, BrokenBarrierException, TimeoutException {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                barrier.await(30, TimeUnit.SECONDS);
            } finally {
                running.decrementAndGet();
            }
            return 1L;
        }
    }

    /** Says whether it ran on a virtual thread. */
    private static final class WhereJob implements LongSum<Long> {
        @Override
        public String name() {
            return "where";
        }

        @Override
        public String description() {
            return "1 on a virtual thread, else 0";
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
        public Long compute(Long task) {
            return Thread.currentThread().isVirtual() && Thread.currentThread().getName().startsWith("procpool-virtual-")
                    ? 1L : 0L;
        }
    }

    /** Waits until interrupted, saying when it has started. */
    private static final class Hanging implements LongSum<Long> {
        private final CountDownLatch started = new CountDownLatch(1);

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
            started.countDown();
            new CountDownLatch(1).await(60, TimeUnit.SECONDS);
            return task;
        }
    }
}
