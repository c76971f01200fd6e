package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.jobs.NoopJob;
import dev.procpool.jobs.SleepJob;
import dev.procpool.jobs.SqrtJob;
import dev.procpool.measure.TaskUsage;
import dev.procpool.testing.TestPools;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every runner reports what its tasks used on the threads that ran them: computing tasks are on a core or waiting for
 * one, waiting tasks are neither, whatever else this machine runs.
 */
@Timeout(120)
class RunnersMeasureTasksTest {

    private static ProcessPool processes;

    @BeforeAll
    static void startPool() {
        processes = TestPools.builder(2).start();
    }

    @AfterAll
    static void closePool() {
        if (processes != null) {
            processes.close();
        }
    }

    static Stream<String> measuringRunners() {
        return Stream.of("sequential", "threads", "processes");
    }

    private static Runner runner(String name) {
        return switch (name) {
            case "sequential" -> new SequentialRunner();
            case "threads" -> new ThreadRunner(2);
            default -> processes;
        };
    }

    @ParameterizedTest
    @MethodSource("measuringRunners")
    void computingTasks_areOnACoreOrWaitingForOne(String name) {
        Runner runner = runner(name);
        try {
            TaskUsage usage = runner.run(new SqrtJob(), 100_000_000, 4).usage();

            assertTrue(usage.cpuMeasured(), usage.toString());
            assertTrue(usage.wallNanos() > 0, usage.toString());
            assertTrue(usage.blockedNanos() < usage.wallNanos() / 4, usage.toString());
        } finally {
            if (runner != processes) {
                runner.close();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("measuringRunners")
    void waitingTasks_spendTheirTimeBlocked(String name) {
        Runner runner = runner(name);
        try {
            TaskUsage usage = runner.run(new SleepJob(), 8, 4).usage();

            assertTrue(usage.wallNanos() >= TimeUnit.MILLISECONDS.toNanos(80), usage.toString());
            assertTrue(usage.cpuNanos() < usage.wallNanos() / 4, usage.toString());
            assertTrue(usage.blockedNanos() > usage.wallNanos() / 2, usage.toString());
        } finally {
            if (runner != processes) {
                runner.close();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("measuringRunners")
    void aRunAfterARunOfTinyTasks_isMeasuredFromItsFirstTask(String name) {
        Runner runner = runner(name);
        try {
            TaskUsage tiny = runner.run(new NoopJob(), 1, 10_000).usage();
            TaskUsage next = runner.run(new SleepJob(), 4, 4).usage();

            assertTrue(tiny.cpuMeasured(), tiny.toString());
            assertTrue(next.wallNanos() >= TimeUnit.MILLISECONDS.toNanos(40), next.toString());
        } finally {
            if (runner != processes) {
                runner.close();
            }
        }
    }

    @Test
    void virtualThreads_reportWallTimeOnly() {
        try (VirtualThreadRunner virtual = new VirtualThreadRunner(4)) {
            TaskUsage usage = virtual.run(new SleepJob(), 8, 4).usage();

            assertFalse(usage.cpuMeasured());
            assertTrue(usage.wallNanos() >= TimeUnit.MILLISECONDS.toNanos(80), usage.toString());
        }
    }
}
