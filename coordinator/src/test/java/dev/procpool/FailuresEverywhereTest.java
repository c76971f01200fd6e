package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.job.TaskFunction;
import dev.procpool.testing.EveryRunner;
import dev.procpool.testing.TestPools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same failures on every runner: a task that throws fails with the same exception, the same accessors and the
 * same cause shape; submitting to a closed runner fails the future; a time limit given to {@code submit} fails the
 * future at the limit, stopping the task where a task can be stopped.
 */
@Timeout(120)
class FailuresEverywhereTest {

    /** Throws an exception with a cause. */
    record Thrower() implements TaskFunction<String, String> {
        @Override
        public String apply(String message) {
            throw new IllegalStateException(message, new IllegalArgumentException("inner"));
        }
    }

    /** Sleeps {@code millis}, then returns it. */
    record Sleeps() implements TaskFunction<Long, Long> {
        @Override
        public Long apply(Long millis) throws InterruptedException {
            Thread.sleep(millis);
            return millis;
        }
    }

    @RegisterExtension
    static final EveryRunner RUNNERS = new EveryRunner(1);

    private static Runner runner(String name) {
        return RUNNERS.runner(name);
    }

    private static void closeUnlessShared(Runner runner) {
        RUNNERS.closeUnlessShared(runner);
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        return assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS)).getCause();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "threads", "virtual", "processes"})
    void taskThatThrows_sameExceptionAccessorsAndCauseShape(String name) {
        Runner runner = runner(name);
        try {
            TaskFailedException failed = assertInstanceOf(TaskFailedException.class,
                    failureOf(runner.submit(new Thrower(), "outer")));

            assertEquals("java.lang.IllegalStateException", failed.errorClassName());
            assertEquals("outer", failed.errorMessage());
            StackTraceElement top = failed.errorStackTrace()[0];
            assertEquals(Thrower.class.getName() + ".apply", top.getClassName() + "." + top.getMethodName());
            RemoteException cause = failed.getCause();
            assertEquals("java.lang.IllegalStateException: outer", cause.toString());
            assertEquals(failed.errorStackTrace().length, cause.getStackTrace().length);
            RemoteException inner = assertInstanceOf(RemoteException.class, cause.getCause());
            assertEquals("java.lang.IllegalArgumentException", inner.remoteClassName());
            assertEquals("inner", inner.getMessage());
            assertNull(inner.getCause());
            assertEquals("FailuresEverywhereTest.Thrower", failed.job());
            assertEquals("outer", failed.task());
            assertTrue(failed.getMessage().startsWith("task outer of job FailuresEverywhereTest.Thrower threw "
                    + "java.lang.IllegalStateException: outer on "), failed.getMessage());
        } finally {
            closeUnlessShared(runner);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "threads", "virtual"})
    void submitAfterClose_failsTheFuture(String name) {
        Runner runner = runner(name);
        runner.close();

        CompletableFuture<Long> future = runner.submit(new Sleeps(), 1L);

        assertInstanceOf(PoolClosedException.class, failureOf(future));
        for (CompletableFuture<Long> each : runner.submitAll(new Sleeps(), List.of(1L, 2L))) {
            assertInstanceOf(PoolClosedException.class, failureOf(each));
        }
    }

    @Test
    void submitAfterClose_failsTheFuture_processes() {
        ProcessPool pool = TestPools.builder(1).start();
        pool.close();

        assertInstanceOf(PoolClosedException.class, failureOf(pool.submit(new Sleeps(), 1L)));
        assertInstanceOf(PoolClosedException.class, failureOf(pool.submitAll(new Sleeps(), List.of(1L)).get(0)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"threads", "virtual", "processes"})
    void timeLimit_failsTheFutureAtTheLimit_andTheRunnerCarriesOn(String name) throws Exception {
        Runner runner = runner(name);
        try {
            long start = System.nanoTime();
            CompletableFuture<Long> hanging = runner.submit(new Sleeps(), 60_000L, Duration.ofMillis(300));

            TaskTimeoutException timedOut = assertInstanceOf(TaskTimeoutException.class, failureOf(hanging));
            long elapsed = System.nanoTime() - start;

            assertTrue(elapsed < TimeUnit.SECONDS.toNanos(10), "failed after " + elapsed / 1e6 + " ms");
            assertEquals(Duration.ofMillis(300), timedOut.limit());
            assertEquals(name.equals("processes"), timedOut.stopped());
            assertTrue(timedOut.getMessage().contains("ran past its time limit of 300 ms"), timedOut.getMessage());
            assertTrue(timedOut.getMessage().contains(name.equals("processes") ? "which was killed"
                    : "which cannot be stopped: it was interrupted"), timedOut.getMessage());
            // The thread that ran it (interrupted) or a replacement worker takes the next task, unbothered.
            assertEquals(100L, runner.submit(new Sleeps(), 100L).get(30, TimeUnit.SECONDS));
            assertEquals(5L, runner.submit(new Sleeps(), 5L, Duration.ofSeconds(20)).get(30, TimeUnit.SECONDS));
        } finally {
            closeUnlessShared(runner);
        }
    }

    @Test
    void timeLimit_onTheCallingThread_theTaskRunsToItsEnd_thenItsFutureFails() {
        try (SequentialRunner sequential = new SequentialRunner()) {
            long start = System.nanoTime();
            CompletableFuture<Long> slow = sequential.submit(new Sleeps(), 400L, Duration.ofMillis(50));

            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(400),
                    "the calling thread computed it to its end within submit");
            TaskTimeoutException timedOut = assertInstanceOf(TaskTimeoutException.class, failureOf(slow));
            assertFalse(timedOut.stopped());
            assertTrue(timedOut.getMessage().contains("on the calling thread, which computed it to its end"),
                    timedOut.getMessage());
            assertEquals(Duration.ofMillis(50), timedOut.limit());
        }
    }

    @Test
    void timeLimit_onAThread_theInterruptDoesNotReachTheThreadsNextTask() throws Exception {
        try (ThreadRunner threads = new ThreadRunner(1)) {
            List<CompletableFuture<Long>> outcomes = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                outcomes.add(threads.submit(new Sleeps(), 2_000L, Duration.ofMillis(50)));
                outcomes.add(threads.submit(new Sleeps(), 60L));
            }

            for (int i = 0; i < outcomes.size(); i += 2) {
                assertInstanceOf(TaskTimeoutException.class, failureOf(outcomes.get(i)));
                assertEquals(60L, outcomes.get(i + 1).get(30, TimeUnit.SECONDS), "the next task sleeps undisturbed");
            }
        }
    }

    @Test
    void timeLimit_notPositive_isRefused() {
        try (ThreadRunner threads = new ThreadRunner(1)) {
            assertThrows(IllegalArgumentException.class, () -> threads.submit(new Sleeps(), 1L, Duration.ZERO));
            assertThrows(IllegalArgumentException.class, () -> threads.submit(new Sleeps(), 1L, null));
        }
    }
}
