package dev.procpool.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.jobs.SqrtJob;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How {@link JobRegistry} finds, checks and looks up jobs. */
class JobRegistryTest {

    /** A job class other than {@link StubJob}, to give two classes the same name. */
    record OtherJob(String name) implements LongSum<Long> {
        @Override
        public String description() {
            return "another stub";
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
            return size;
        }

        @Override
        public Long compute(Long task) {
            return task;
        }
    }

    @Test
    void loadDefault_findsTheBuiltInJobsInNameOrder() {
        assertEquals(List.of("demo-sqrt", "mandelbrot", "noop", "primes", "sleep", "sqrt"), JobRegistry.loadDefault().names());
    }

    @Test
    void of_twoClassesWithOneName_isRefusedNamingBoth() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> JobRegistry.of(List.of(new SqrtJob(), new StubJob("sqrt"))));

        assertTrue(e.getMessage().contains("'sqrt'"), e.getMessage());
        assertTrue(e.getMessage().contains(SqrtJob.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(StubJob.class.getName()), e.getMessage());
        assertThrows(IllegalStateException.class, () -> JobRegistry.of(List.of(new StubJob("x"), new OtherJob("x"))));
    }

    @Test
    void of_sameClassListedTwice_keepsOneJob() {
        JobRegistry registry = JobRegistry.of(List.of(new SqrtJob(), new SqrtJob()));

        assertEquals(List.of("sqrt"), registry.names());
        assertEquals(1, registry.jobs().size());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "Sqrt", "my job", "1st", "-x", "a_b", "a.b", "\u00e9t\u00e9", " sqrt", "sqrt\n"})
    void of_invalidName_isRefusedNamingTheClass(String name) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> JobRegistry.of(List.of(new StubJob(name))));

        assertTrue(e.getMessage().contains(StubJob.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "x1", "monte-carlo", "n-body-2"})
    void of_validName_isAccepted(String name) {
        assertEquals(List.of(name), JobRegistry.of(List.of(new StubJob(name))).names());
    }

    @Test
    void get_unknownName_throwsListingKnownNames() {
        JobRegistry registry = JobRegistry.loadDefault();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.get("nope"));

        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
        assertTrue(e.getMessage().contains("mandelbrot, noop, primes, sleep, sqrt"), e.getMessage());
        assertEquals(Optional.empty(), registry.find("nope"));
    }

    @Test
    void getAndFind_knownName_returnTheJob() {
        StubJob job = new StubJob("a");
        JobRegistry registry = JobRegistry.of(List.of(new StubJob("b"), job));

        assertSame(job, registry.get("a"));
        assertEquals(Optional.of(job), registry.find("a"));
    }

    @Test
    void registry_isAnImmutableSnapshotInNameOrder() {
        List<Job<?, ?>> jobs = new ArrayList<>(List.of(new StubJob("c"), new StubJob("a"), new StubJob("b")));
        JobRegistry registry = JobRegistry.of(jobs);
        jobs.add(new StubJob("d"));

        assertEquals(List.of("a", "b", "c"), registry.names());
        assertEquals(List.of("a", "b", "c"), registry.jobs().stream().map(Job::name).toList());
        assertThrows(UnsupportedOperationException.class, () -> registry.names().add("e"));
        assertThrows(UnsupportedOperationException.class, () -> registry.jobs().clear());
    }

    @Test
    void load_serviceFileNamingAMissingClass_failsNamingIt(@TempDir Path directory) throws Exception {
        Path services = Files.createDirectories(directory.resolve("META-INF/services"));
        Files.writeString(services.resolve(Job.class.getName()), "no.such.Job\n");

        try (URLClassLoader loader = new URLClassLoader(new URL[] {directory.toUri().toURL()},
                JobRegistry.class.getClassLoader())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> JobRegistry.load(loader));

            assertTrue(e.getMessage().contains("no.such.Job"), e.getMessage());
        }
    }
}
