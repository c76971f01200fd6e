package dev.procpool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.JobResult;
import dev.procpool.ProcessPool;
import dev.procpool.SequentialRunner;
import dev.procpool.job.JobRegistry;
import dev.procpool.jobs.MandelbrotJob;
import dev.procpool.jobs.NoopJob;
import dev.procpool.jobs.PrimesJob;
import dev.procpool.jobs.SqrtJob;
import dev.procpool.protocol.Protocol;
import dev.procpool.testing.Command;
import dev.procpool.testing.TestPools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The worker class-data archive: made once, reused, renewed for a changed jar, and harmless when stale. */
@Timeout(120)
class ClassDataArchiveIT {

    @TempDir
    Path cache;

    @TempDir
    Path jars;

    private final List<String> notices = new ArrayList<>();

    private WorkerJvm command(Path jar) {
        return new WorkerJvm(WorkerJvm.currentJava(), List.of(), List.of(jar), Protocol.DEFAULT_MAX_FRAME_BYTES,
                null);
    }

    private Path workerJarCopy() throws Exception {
        Path jar = jars.resolve("procpool-worker.jar");
        Files.copy(Command.root().resolve("worker/target/procpool-worker.jar"), jar);
        return jar;
    }

    @Test
    void prepare_makesTheArchiveOnce_andReusesIt() throws Exception {
        Path jar = workerJarCopy();

        Path first = ClassDataArchive.prepare(command(jar), cache, notices::add).orElseThrow();
        FileTime made = Files.getLastModifiedTime(first);
        Path second = ClassDataArchive.prepare(command(jar), cache, notices::add).orElseThrow();

        assertEquals(first, second);
        assertEquals(made, Files.getLastModifiedTime(second), "not made again");
        assertTrue(Files.size(first) > 100_000, "a real archive");
        assertEquals(List.of(), notices);
    }

    @Test
    void prepare_changedJar_getsANewArchive() throws Exception {
        Path jar = workerJarCopy();
        Path first = ClassDataArchive.prepare(command(jar), cache, notices::add).orElseThrow();

        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));

        assertNotEquals(first, ClassDataArchive.prepare(command(jar), cache, notices::add).orElseThrow());
    }

    @Test
    void prepare_classesDirectory_noArchive() {
        Optional<Path> archive = ClassDataArchive.prepare(command(TestPools.classpath().get(0)), cache, notices::add);

        assertTrue(archive.isEmpty(), "class-data sharing archives classes from jars only");
    }

    @Test
    void staleArchive_workersStillSpeakCleanProtocol() throws Exception {
        Path jar = workerJarCopy();
        Path archive = ClassDataArchive.prepare(command(jar), cache, notices::add).orElseThrow();
        // Another build of the jar under the same name: the archive no longer matches it.
        try (var zip = java.nio.file.FileSystems.newFileSystem(jar)) {
            Files.writeString(zip.getPath("stale-marker.txt"), "the jar changed after its archive was made");
        }
        Files.setLastModifiedTime(archive, FileTime.fromMillis(System.currentTimeMillis()));
        TestPools.CollectedOutput stderr = new TestPools.CollectedOutput();

        // Force the stale archive on the workers, past the key that would normally pick a new one. The jobs are
        // the worker jar's own, not this test JVM's (which also finds the test-only jobs).
        JobRegistry builtIn = JobRegistry.of(List.of(new MandelbrotJob(), new NoopJob(), new PrimesJob(), new SqrtJob()));
        try (ProcessPool pool = ProcessPool.builder().workers(1).workerJar(jar).archiveDirectory(null).jobs(builtIn)
                .jvmArgs("-XX:SharedArchiveFile=" + archive).workerOutput(stderr).notices(notices::add).start()) {
            JobResult<Double> result = pool.run(new SqrtJob(), 1_000, 4);

            assertEquals(new SequentialRunner().run(new SqrtJob(), 1_000, 4).value(), result.value());
        }
        assertTrue(stderr.lines().stream().anyMatch(line -> line.contains("Unable to use shared archive")),
                "the JVM did refuse the stale archive, on stderr: " + stderr.lines());
        assertTrue(notices.isEmpty(), "the protocol was never disturbed: " + notices);
    }
}
