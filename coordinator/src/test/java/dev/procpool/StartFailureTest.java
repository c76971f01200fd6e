package dev.procpool;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.spi.LaunchedWorker;
import dev.procpool.spi.WorkerCommand;
import dev.procpool.spi.WorkerLauncher;
import dev.procpool.testing.FaultJob;
import dev.procpool.testing.FaultJob.Fault;
import dev.procpool.testing.FaultJob.Kind;
import dev.procpool.testing.TestPools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Workers that cannot start give a clear error within seconds, after a bounded number of attempts. */
@Timeout(120)
class StartFailureTest {

    private static final FaultJob FAULT = new FaultJob();

    /** Launches normally {@code good} times, then with a JVM flag that makes every later worker fail at once. */
    private static final class BreakingLauncher implements WorkerLauncher {
        private final int good;
        private final AtomicInteger launches = new AtomicInteger();

        BreakingLauncher(int good) {
            this.good = good;
        }

        @Override
        public LaunchedWorker launch(WorkerCommand command) throws java.io.IOException {
            List<String> options = new ArrayList<>(command.jvmOptions());
            if (launches.incrementAndGet() > good) {
                options.add(0, "-XX:+NoSuchFlagForThisTest");
            }
            return WorkerLauncher.local().launch(new WorkerCommand(command.workerId(), command.java(), options,
                    command.classpath(), command.mainClass(), command.arguments()));
        }
    }

    @Test
    void replacementsThatCannotStart_boundedAttemptsWithBackoff_thenTasksFailClearly() throws Exception {
        BreakingLauncher launcher = new BreakingLauncher(1);
        try (ProcessPool pool = TestPools.builder(1).launcher(launcher).notices(notice -> { }).start()) {
            long start = System.nanoTime();
            CompletableFuture<Long> crash = pool.submit(FAULT, Fault.of(Kind.HALT, 1, 1));
            CompletableFuture<Long> waiting = pool.submit(FAULT, Fault.ok(2));

            Throwable cause = assertThrows(ExecutionException.class, () -> waiting.get(30, TimeUnit.SECONDS)).getCause();

            WorkerStartException failed = assertInstanceOf(WorkerStartException.class, cause);
            assertTrue(failed.getMessage().startsWith("5 replacement workers in a row could not start"), failed.getMessage());
            assertTrue(failed.getMessage().contains("NoSuchFlagForThisTest"), "the JVM's own complaint: " + failed.getMessage());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15), "within seconds");
            assertEquals(1 + 5, launcher.launches.get(), "the first worker and five attempts, no storm");
            assertInstanceOf(WorkerStartException.class,
                    assertThrows(ExecutionException.class, () -> crash.get(5, TimeUnit.SECONDS)).getCause(),
                    "the crashing task ran out of workers too");

            CompletableFuture<Long> later = pool.submit(FAULT, Fault.ok(3));
            assertInstanceOf(WorkerStartException.class,
                    assertThrows(ExecutionException.class, () -> later.get(5, TimeUnit.SECONDS)).getCause());
        }
    }

    @Test
    void afterGivingUp_aSurvivorsCrash_startsNoWorker_andTheTasksLeftFail() throws Exception {
        BreakingLauncher launcher = new BreakingLauncher(2);
        List<String> notices = new CopyOnWriteArrayList<>();
        try (ProcessPool pool = TestPools.builder(2).launcher(launcher).retries(0).notices(notices::add).start()) {
            // One worker crashes; its replacements cannot start, and the pool gives up with one worker left.
            pool.submit(FAULT, Fault.of(Kind.HALT, 1, 1));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> notices.stream().anyMatch(n -> n.contains("no more workers will be started")));
            int launches = launcher.launches.get();

            CompletableFuture<Long> crash = pool.submit(FAULT, Fault.of(Kind.HALT, 1, 2));
            CompletableFuture<Long> waiting = pool.submit(FAULT, Fault.ok(3));

            assertInstanceOf(WorkerCrashedException.class,
                    assertThrows(ExecutionException.class, () -> crash.get(30, TimeUnit.SECONDS)).getCause());
            assertInstanceOf(WorkerStartException.class,
                    assertThrows(ExecutionException.class, () -> waiting.get(30, TimeUnit.SECONDS)).getCause(),
                    "no worker is left to run it");
            assertEquals(launches, launcher.launches.get(), "the pool said it would start no more workers");
            assertTrue(notices.stream().anyMatch(n -> n.contains("starting no replacement")), notices.toString());
        }
    }
}
