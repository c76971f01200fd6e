package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.job.Range;
import dev.procpool.jobs.SqrtJob;
import dev.procpool.testing.TestPools;
import dev.procpool.testing.ThreadWatchingJob;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Users' code never runs on the pool's own threads: stages chained to a future, a job's combine and a progress
 * listener. If it did, code that waits for the pool there could wait for itself.
 */
@Timeout(120)
class UserCodeThreadsTest {

    private static final SqrtJob SQRT = new SqrtJob();

    @Test
    void nestedBlockingSubmitInAChainedStage_onOneWorker_completes() throws Exception {
        try (ProcessPool pool = TestPools.builder(1).start()) {
            // The inner task lands on the same worker as the outer one: a stage run by that worker's reader thread
            // would wait forever for an answer only that thread can read.
            CompletableFuture<Double> nested = pool.submit(SQRT, new Range(1, 1_000))
                    .thenApply(first -> first + pool.submit(SQRT, new Range(1_000, 2_000)).join());

            assertEquals(SQRT.compute(new Range(1, 1_000)) + SQRT.compute(new Range(1_000, 2_000)),
                    nested.get(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void chainedStages_runOnTheCompletionExecutor_notOnAReaderThread() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        try (ProcessPool pool = TestPools.builder(2).start()) {
            for (int i = 0; i < 20; i++) {
                pool.submit(SQRT, new Range(1, 100 + i))
                        .thenAccept(value -> threads.add(Thread.currentThread().getName()))
                        .get(20, TimeUnit.SECONDS);
            }
        }
        assertEquals(20, threads.size());
        // A stage chained after the task was done runs at once on the thread that chained it (this one); any
        // other ran on the completion executor. None on a thread of the pool's.
        String self = Thread.currentThread().getName();
        assertTrue(threads.stream().allMatch(name -> name.startsWith("procpool-completion-") || name.equals(self)),
                threads.toString());
    }

    @Test
    void completionExecutor_givenByTheUser_completesEveryFuture() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        Executor tagging = task -> Thread.ofPlatform().name("user-executor").start(task);
        try (ProcessPool pool = TestPools.builder(1).completionExecutor(tagging).start()) {
            pool.submit(SQRT, new Range(1, 100)).thenRun(() -> threads.add(Thread.currentThread().getName()))
                    .get(20, TimeUnit.SECONDS);
        }
        assertEquals(Set.of("user-executor"), threads);
    }

    @Test
    void run_combineAndProgress_runOnTheCallingThread() {
        Thread caller = Thread.currentThread();
        Set<Thread> reporting = ConcurrentHashMap.newKeySet();
        ThreadWatchingJob.forget();
        try (ProcessPool pool = TestPools.builder(2).start()) {
            JobResult<Long> result = pool.run(new ThreadWatchingJob(), 100_000, 64, false,
                    (done, total) -> reporting.add(Thread.currentThread()));

            assertEquals(100_000L, result.value());
        }
        assertEquals(Set.of(caller), ThreadWatchingJob.COMBINING);
        assertEquals(Set.of(caller), reporting);
    }
}
