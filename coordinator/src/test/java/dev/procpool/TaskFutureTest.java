package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.measure.TaskUsage;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The future users get from {@code submit}: the thread that settles a task never runs what users chained to it,
 * whether or not someone is waiting, and every way of waiting ends.
 */
@Timeout(60)
class TaskFutureTest {

    private final List<String> completionThreads = new CopyOnWriteArrayList<>();
    private final Executor completions = task -> Thread.ofPlatform().name("completion").start(() -> {
        completionThreads.add(Thread.currentThread().getName());
        task.run();
    });

    /** Settles {@code future} from a thread of its own, named {@code settler}, and waits for that thread. */
    private static void settleFromAnotherThread(Runnable settle) throws InterruptedException {
        Thread settler = Thread.ofPlatform().name("settler").start(settle);
        settler.join(TimeUnit.SECONDS.toMillis(10));
    }

    @Test
    void noOneWaiting_chainedStagesRunOnTheCompletionExecutor() throws Exception {
        TaskFuture<Integer> future = new TaskFuture<>(completions);
        CompletableFuture<String> chained = future.thenApply(value -> Thread.currentThread().getName());

        settleFromAnotherThread(() -> future.succeeded(42, TaskUsage.NONE));

        assertEquals("completion", chained.get(10, TimeUnit.SECONDS));
        assertEquals(42, future.get(10, TimeUnit.SECONDS));
    }

    @RepeatedTest(20)
    void aThreadWaitingInGet_completesTheFutureItself_soChainedStagesRunThere() throws Exception {
        TaskFuture<Integer> future = new TaskFuture<>(completions);
        List<String> stageThreads = new CopyOnWriteArrayList<>();
        future.thenRun(() -> stageThreads.add(Thread.currentThread().getName()));
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<Integer> got = new CompletableFuture<>();
        Thread waiter = Thread.ofPlatform().name("waiter").start(() -> {
            waiting.countDown();
            try {
                got.complete(future.get());
            } catch (Exception e) {
                got.completeExceptionally(e);
            }
        });
        waiting.await();

        settleFromAnotherThread(() -> future.succeeded(7, TaskUsage.NONE));

        assertEquals(7, got.get(10, TimeUnit.SECONDS));
        waiter.join(10_000);
        assertEquals(1, stageThreads.size());
        assertNotEquals("settler", stageThreads.get(0), "whoever completes it, never the settling thread");
    }

    @Test
    void failure_reachesGetAsAnExecutionException() throws Exception {
        TaskFuture<Integer> future = new TaskFuture<>(completions);
        IllegalStateException boom = new IllegalStateException("boom");

        settleFromAnotherThread(() -> future.failed(boom));

        ExecutionException thrown = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        assertEquals(boom, thrown.getCause());
    }

    @Test
    void getWithATimeLimit_timesOut_andTheFutureStillCompletesLater() throws Exception {
        TaskFuture<Integer> future = new TaskFuture<>(completions);

        assertThrows(TimeoutException.class, () -> future.get(20, TimeUnit.MILLISECONDS));
        settleFromAnotherThread(() -> future.succeeded(1, TaskUsage.NONE));

        assertEquals(1, future.get(10, TimeUnit.SECONDS));
    }

    @Test
    void cancel_wakesAThreadWaitingInGet() throws Exception {
        TaskFuture<Integer> future = new TaskFuture<>(completions);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        CountDownLatch waiting = new CountDownLatch(1);
        Thread.ofPlatform().start(() -> {
            waiting.countDown();
            try {
                future.get();
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        waiting.await();

        future.cancel(false);

        assertInstanceOf(CancellationException.class, outcome.get(10, TimeUnit.SECONDS));
        assertTrue(future.abandoned(), "a cancelled task need not run");
    }

    @Test
    void interruptedGet_throwsInterruptedException() throws Exception {
        TaskFuture<Integer> future = new TaskFuture<>(completions);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        CountDownLatch waiting = new CountDownLatch(1);
        Thread waiter = Thread.ofPlatform().start(() -> {
            waiting.countDown();
            try {
                future.get();
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        waiting.await();

        waiter.interrupt();

        assertInstanceOf(InterruptedException.class, outcome.get(10, TimeUnit.SECONDS));
    }

    @Test
    void join_returnsTheValue() throws Exception {
        TaskFuture<Integer> future = new TaskFuture<>(completions);
        settleFromAnotherThread(() -> future.succeeded(5, TaskUsage.NONE));

        assertEquals(5, future.join());
    }

    @Test
    void getRacingTheCompletionExecutor_alwaysReturnsTheValue() throws Exception {
        // The executor claims the completion while this thread waits: get must wait for it, never time out early.
        Executor otherThread = task -> Thread.ofPlatform().start(task);
        for (int i = 0; i < 2_000; i++) {
            TaskFuture<Integer> future = new TaskFuture<>(otherThread);
            int value = i;
            Thread settler = Thread.ofPlatform().start(() -> future.succeeded(value, TaskUsage.NONE));

            assertEquals(value, future.get(10, TimeUnit.SECONDS));
            settler.join();
        }
    }
}
