package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.procpool.job.Job;
import dev.procpool.job.JobRegistry;
import dev.procpool.jobs.DemoSqrtJob;
import dev.procpool.jobs.MandelbrotJob;
import dev.procpool.jobs.NoopJob;
import dev.procpool.jobs.PrimesJob;
import dev.procpool.jobs.SleepJob;
import dev.procpool.jobs.SqrtJob;
import dev.procpool.testing.FaultJob;
import dev.procpool.testing.OverflowJob;
import dev.procpool.testing.PayloadJob;
import dev.procpool.testing.ScaledJob;
import dev.procpool.testing.SpawningJob;
import dev.procpool.testing.TestPools;
import dev.procpool.testing.ThirdFailsJob;
import dev.procpool.testing.ThreadWatchingJob;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No silent difference between runners: every job, built-in and test-only, configured away from its defaults where it
 * has a configuration, gives the same result (or fails the same task the same way) on the four runners, with real
 * worker JVMs. The process pool receives each job as a value, so a record job computes with its own components there.
 */
@Timeout(180)
class RunnersAgreeTest {

    private static ProcessPool processes;
    private static ThreadRunner threads;
    private static VirtualThreadRunner virtual;
    private static SequentialRunner sequential;

    @BeforeAll
    static void startRunners() {
        processes = TestPools.builder(2).start();
        threads = new ThreadRunner(3);
        virtual = new VirtualThreadRunner(5);
        sequential = new SequentialRunner();
    }

    @AfterAll
    static void closeRunners() {
        if (processes != null) {
            processes.close();
        }
        threads.close();
        virtual.close();
        sequential.close();
    }

    /**
     * Every job on the test class path, each with a size and task count; a job with a configuration appears with one
     * other than its default, and says whether that configuration shows in its result (a sleep's length does not).
     */
    static Stream<Arguments> everyJob() {
        return Stream.of(
                arguments(new SqrtJob(), 2_000_000L, 7, false),
                arguments(new SqrtJob(), 1L, 4, false),
                arguments(new SqrtJob(), 10L, 50, false),
                arguments(new PrimesJob(), 1_000_000L, 9, false),
                arguments(new PrimesJob(), 3L, 2, false),
                arguments(new MandelbrotJob(300), 200L, 13, true),
                arguments(new MandelbrotJob(7), 10L, 1, true),
                arguments(new NoopJob(), 1L, 100, false),
                arguments(new SleepJob(1), 20L, 4, false),
                arguments(new DemoSqrtJob(), 100_000L, 4, false),
                arguments(new FaultJob(), 50L, 10, false),
                arguments(new ThirdFailsJob(5), 8L, 8, true),
                arguments(new ThreadWatchingJob(), 1_000L, 10, false),
                arguments(new SpawningJob(0), 4L, 4, false),
                arguments(new OverflowJob(2), 4L, 4, true),
                arguments(new PayloadJob(), 1_000L, 4, false),
                arguments(new ScaledJob(10), 1_000L, 7, true));
    }

    @ParameterizedTest(name = "{0} size {1} in {2} tasks")
    @MethodSource("everyJob")
    void everyRunner_sameJobAndConfiguration_sameOutcome(Job<?, ?> job, long size, int tasks,
            boolean configurationShows) {
        List<String> outcomes = Stream.of(sequential, threads, virtual, processes)
                .map(runner -> outcome(runner, job, size, tasks))
                .toList();

        assertEquals(outcomes.get(0), outcomes.get(1), "threads differ from sequential");
        assertEquals(outcomes.get(0), outcomes.get(2), "virtual threads differ from sequential");
        assertEquals(outcomes.get(0), outcomes.get(3), "processes differ from sequential");
        if (configurationShows) {
            Job<?, ?> byDefault = JobRegistry.loadDefault().get(job.name());
            assertNotEquals(outcome(sequential, byDefault, size, tasks), outcomes.get(3),
                    "the workers computed with the job's configuration, not with a default instance of its class");
        }
    }

    @Test
    void everyJobOnTheClassPath_isCompared_configuredAwayFromItsDefaultsWhereItHasAConfiguration() {
        List<Job<?, ?>> compared = everyJob().<Job<?, ?>>map(arguments -> (Job<?, ?>) arguments.get()[0]).toList();

        for (Job<?, ?> job : JobRegistry.loadDefault().jobs()) {
            assertTrue(compared.stream().anyMatch(c -> c.getClass() == job.getClass()), job.name() + " is not compared");
            boolean configured = job.getClass().isRecord() && job.getClass().getRecordComponents().length > 0;
            if (configured) {
                assertTrue(compared.stream().anyMatch(c -> c.getClass() == job.getClass() && !c.equals(job)),
                        job.name() + " is compared only with its default configuration");
            }
        }
    }

    @ParameterizedTest(name = "{0} size {1} in {2} tasks")
    @MethodSource("everyJob")
    void processes_outcomeDoesNotDependOnWhichWorkerRanWhat(Job<?, ?> job, long size, int tasks,
            boolean configurationShows) {
        // The dispatch order differs between runs; the combined bits must not.
        assertEquals(outcome(processes, job, size, tasks), outcome(processes, job, size, tasks));
    }

    /** The formatted result, or which task failed and what it threw. */
    private static <T, R> String outcome(Runner runner, Job<T, R> job, long size, int tasks) {
        try {
            return runner.run(job, size, tasks).formatted();
        } catch (JobFailedException e) {
            TaskError first = e.failures().get(0);
            Throwable cause = first.cause() instanceof TaskFailedException failed ? failed.getCause() : first.cause();
            return "task " + first.index() + " of " + first.count() + " failed: " + cause;
        }
    }
}
