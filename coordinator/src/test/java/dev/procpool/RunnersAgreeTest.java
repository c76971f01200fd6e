package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procpool.job.Job;
import dev.procpool.job.JobRegistry;
import dev.procpool.testing.TestPools;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The four runners give bit-identical results for every built-in job, with real worker JVMs. */
@Timeout(120)
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

    static Stream<Arguments> jobsSizesAndTasks() {
        return Stream.of(
                Arguments.of("sqrt", 2_000_000L, 7),
                Arguments.of("sqrt", 1L, 4),
                Arguments.of("sqrt", 10L, 50),
                Arguments.of("primes", 1_000_000L, 9),
                Arguments.of("primes", 3L, 2),
                Arguments.of("mandelbrot", 200L, 13),
                Arguments.of("mandelbrot", 1L, 1));
    }

    @ParameterizedTest(name = "{0} size {1} in {2} tasks")
    @MethodSource("jobsSizesAndTasks")
    void everyRunner_sameJob_sameBits(String name, long size, int tasks) {
        Job<?, ?> job = JobRegistry.loadDefault().get(name);

        List<String> results = Stream.of(sequential, threads, virtual, processes)
                .map(runner -> runFormatted(runner, job, size, tasks))
                .toList();

        assertEquals(results.get(0), results.get(1), "threads differ from sequential");
        assertEquals(results.get(0), results.get(2), "virtual threads differ from sequential");
        assertEquals(results.get(0), results.get(3), "processes differ from sequential");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobsSizesAndTasks")
    void processes_resultDoesNotDependOnWhichWorkerRanWhat(String name, long size, int tasks) {
        Job<?, ?> job = JobRegistry.loadDefault().get(name);

        // The dispatch order differs between runs; the combined bits must not.
        assertEquals(runFormatted(processes, job, size, tasks), runFormatted(processes, job, size, tasks));
    }

    private static <T, R> String runFormatted(Runner runner, Job<T, R> job, long size, int tasks) {
        return runner.run(job, size, tasks).formatted();
    }
}
