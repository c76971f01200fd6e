package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.job.Job;
import dev.procpool.job.LongSum;
import dev.procpool.job.Range;
import dev.procpool.job.RangeJob;
import dev.procpool.testing.BadWireJob;
import dev.procpool.testing.ScaledJob;
import dev.procpool.testing.TestPools;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs travel to worker processes as values: each distinct value is sent to a worker once and kept apart from the
 * others, a changed value travels again, and a worker whose class path holds another version of the job's class says
 * so instead of computing with it.
 */
@Timeout(120)
class JobsAreValuesTest {

    /** A job whose configuration is an array: the record stays the same object when the array is written to. */
    public record WeightedJob(long[] weights) implements RangeJob<Long>, LongSum<Range> {
        @Override
        public String name() {
            return "weighted";
        }

        @Override
        public String description() {
            return "test: the numbers of [0, size), each counted as the sum of the weights";
        }

        @Override
        public long defaultSize() {
            return 10;
        }

        @Override
        public Long compute(Range range) {
            long sum = 0;
            for (long weight : weights) {
                sum += weight;
            }
            return range.length() * sum;
        }
    }

    @Test
    void manyDistinctValues_eachComputesWithItsOwn_evenPastWhatAWorkerKeeps() {
        try (ProcessPool pool = TestPools.builder(1).start()) {
            // More values than a worker holds at once: it is told to forget the oldest, and sent one again when needed.
            for (long factor = 1; factor <= 300; factor++) {
                assertEquals(10 * factor, pool.run(new ScaledJob(factor), 10, 2).value(), "factor " + factor);
            }
            assertEquals(10L, pool.run(new ScaledJob(1), 10, 2).value(), "a forgotten value, sent again");
        }
    }

    @Test
    void valueChangedBetweenRuns_travelsAgain() {
        long[] weights = {1, 2};
        WeightedJob job = new WeightedJob(weights);
        try (ProcessPool pool = TestPools.builder(1).start()) {
            assertEquals(30L, pool.run(job, 10, 2).value());
            weights[1] = 5;

            assertEquals(60L, pool.run(job, 10, 2).value(), "the workers compute with the job as it is now");
        }
    }

    @Test
    void workersWithAnotherVersionOfTheJobClass_failItsTasksSayingSo(@TempDir Path dir) throws Exception {
        Path ours = compile(dir.resolve("ours"), "long factor", "factor");
        Path theirs = compile(dir.resolve("theirs"), "int factor", "factor");
        List<Path> workerClasspath = new ArrayList<>(TestPools.classpath());
        workerClasspath.add(theirs);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {ours.toUri().toURL()},
                JobsAreValuesTest.class.getClassLoader());
                ProcessPool pool = TestPools.builder(1).workerClasspath(workerClasspath).start()) {
            Job<?, ?> job = (Job<?, ?>) loader.loadClass("versioned.Counted").getConstructor(long.class)
                    .newInstance(3L);

            JobFailedException thrown = assertThrows(JobFailedException.class, () -> pool.run(job, 10, 2));

            JobNotSendableException cause = assertInstanceOf(JobNotSendableException.class,
                    thrown.failures().get(0).cause());
            assertTrue(cause.getMessage().contains("class versioned.Counted on this worker's class path has other "
                    + "components (int factor) than the coordinator's: another version of it"), cause.getMessage());
            assertTrue(cause.getMessage().contains("the same build of your classes"), cause.getMessage());
        }
    }

    @Test
    void run_ofAJobThatCannotTravel_failsSayingSo_blamingNoTask() {
        try (ProcessPool pool = TestPools.builder(1).start()) {
            JobNotSendableException thrown = assertThrows(JobNotSendableException.class,
                    () -> pool.run(new BadWireJob(), 4, 2));

            assertTrue(thrown.getMessage().startsWith("job 'bad-wire' (dev.procpool.testing.BadWireJob) lists "
                    + "java.util.ArrayList in wireTypes(), which cannot travel between processes"),
                    thrown.getMessage());
            assertEquals(10L, pool.run(new ScaledJob(1), 10, 2).value(), "the pool runs on");
        }
    }

    /** Compiles the record job {@code versioned.Counted} with these components into {@code dir}. */
    private static Path compile(Path dir, String components, String factor) throws Exception {
        Path source = dir.resolve("versioned/Counted.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, """
                package versioned;

                import dev.procpool.job.LongSum;
                import dev.procpool.job.Range;
                import dev.procpool.job.RangeJob;

                public record Counted(%s) implements RangeJob<Long>, LongSum<Range> {
                    public String name() { return "counted"; }
                    public String description() { return "test"; }
                    public long defaultSize() { return 10; }
                    public Long compute(Range range) { return range.length() * %s; }
                }
                """.formatted(components, factor));
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(), "-cp",
                System.getProperty("java.class.path"), source.toString()), "javac's exit status");
        return dir;
    }
}
