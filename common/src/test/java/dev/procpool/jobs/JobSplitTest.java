package dev.procpool.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.procpool.job.Job;
import dev.procpool.job.JobRegistry;
import dev.procpool.job.Range;
import dev.procpool.protocol.FrameReader;
import dev.procpool.protocol.FrameWriter;
import dev.procpool.protocol.JobEncoder;
import dev.procpool.protocol.Protocol;
import dev.procpool.protocol.ResultBatch;
import dev.procpool.protocol.TaskBatch;
import dev.procpool.protocol.WireFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How each built-in job splits its domain into tasks. */
class JobSplitTest {

    private static final JobRegistry REGISTRY = JobRegistry.loadDefault();

    private static final int[] REQUESTED = {1, 2, 3, 7, 8, 64, 1_000};

    @Test
    void defaultRegistry_holdsExactlyTheBuiltInJobs() {
        assertEquals(List.of("demo-sqrt", "mandelbrot", "noop", "primes", "sleep", "sqrt"), REGISTRY.names());
        assertInstanceOf(DemoSqrtJob.class, REGISTRY.get("demo-sqrt"));
        assertInstanceOf(MandelbrotJob.class, REGISTRY.get("mandelbrot"));
        assertInstanceOf(NoopJob.class, REGISTRY.get("noop"));
        assertInstanceOf(PrimesJob.class, REGISTRY.get("primes"));
        assertInstanceOf(SqrtJob.class, REGISTRY.get("sqrt"));
    }

    /** The jobs that split a domain of {@code size} values; noop has no domain (see its own test). */
    static Stream<Arguments> splits() {
        return REGISTRY.jobs().stream().filter(job -> !(job instanceof NoopJob)).flatMap(job -> {
            LongStream sizes = LongStream.concat(
                    LongStream.of(1, 2, 3, 7, 8, 9, 10, 63, 64, 65, 100, 999, 1_000, 12_345),
                    LongStream.of(job.defaultSize(), job.maxSize() - 1, job.maxSize()));
            return sizes.boxed().flatMap(size -> IntStream.of(REQUESTED)
                    .mapToObj(requested -> arguments(job.name(), size, requested)));
        });
    }

    @ParameterizedTest(name = "{0} of size {1} in {2}")
    @MethodSource("splits")
    void tasks_coverTheDomainExactlyOnce_inAsManyTasksAsTheDomainAllows(String name, long size, int requested) {
        Job<?, ?> job = REGISTRY.get(name);
        long domainStart = name.equals("sqrt") ? 1 : 0;
        long domainLength = size - domainStart;

        int count = job.taskCount(size, requested);

        assertTrue(count >= 1 && count <= requested, "task count " + count);
        assertEquals(Math.min(requested, Math.max(1, domainLength)), count, "task count");
        long next = domainStart;
        for (int index = 0; index < count; index++) {
            long[] bounds = bounds(job.task(size, count, index), size);
            assertEquals(next, bounds[0], "start of task " + index);
            assertTrue(bounds[1] > bounds[0] || domainLength == 0, "task " + index + " is empty");
            next = bounds[1];
        }
        assertEquals(size, next, "end of the last task");
    }

    @ParameterizedTest(name = "size {0}")
    @ValueSource(longs = {1, 2, 1_000, Long.MAX_VALUE})
    void noop_givesAsManyTasksAsRequested_eachItsIndex_whateverTheSize(long size) throws Exception {
        NoopJob job = new NoopJob();

        for (int requested : REQUESTED) {
            int count = job.taskCount(size, requested);

            assertEquals(requested, count, "task count");
            long combined = job.identity();
            for (int index = 0; index < count; index++) {
                Integer task = job.task(size, count, index);
                assertEquals(index, task, "task " + index);
                combined = job.combine(combined, job.compute(task));
            }
            assertEquals(count, combined, "the result counts the tasks");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobNames")
    void task_dependsOnlyOnItsArguments(String name) {
        Job<?, ?> job = REGISTRY.get(name);

        assertEquals(job.task(1_000, 7, 3), job.task(1_000, 7, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobNames")
    void tasksAndResults_travelOverTheWire(String name) throws Exception {
        Job<?, ?> job = REGISTRY.get(name);
        WireFormat format = WireFormat.forCoordinator();
        new JobEncoder(format, Protocol.DEFAULT_MAX_FRAME_BYTES).encode(job);
        int count = job.taskCount(1_000, 7);
        long[] ids = new long[count];
        Object[] tasks = new Object[count];
        Object[] values = new Object[count];
        for (int index = 0; index < count; index++) {
            ids[index] = 100 + index;
            tasks[index] = job.task(1_000, count, index);
            values[index] = job.identity();
        }
        TaskBatch request = new TaskBatch(1, ids, tasks);
        ResultBatch result = new ResultBatch(ids, values, 1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(bytes, format, Protocol.DEFAULT_MAX_FRAME_BYTES);

        writer.write(request);
        writer.write(result);
        writer.flush();

        FrameReader reader = new FrameReader(new ByteArrayInputStream(bytes.toByteArray()), format,
                Protocol.DEFAULT_MAX_FRAME_BYTES);
        assertEquals(request, reader.read());
        assertEquals(result, reader.read());
        assertNull(reader.read());
    }

    static Stream<String> jobNames() {
        return REGISTRY.names().stream();
    }

    /** A task's {@code [from, to)} in its job's domain. */
    private static long[] bounds(Object task, long size) {
        if (task instanceof Range range) {
            return new long[] {range.from(), range.to()};
        }
        if (task instanceof MandelbrotJob.Rows rows) {
            assertEquals(size, rows.size(), "grid size of " + rows);
            return new long[] {rows.from(), rows.to()};
        }
        return fail("unexpected task type " + task.getClass().getName());
    }
}
