package dev.procpool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.procpool.JobResult;
import dev.procpool.ProcessPool;
import dev.procpool.ProcessPoolBuilder;
import dev.procpool.ProcessPoolConfig;
import dev.procpool.SequentialRunner;
import dev.procpool.jobs.SqrtJob;
import dev.procpool.protocol.Protocol;
import dev.procpool.testing.Command;
import dev.procpool.testing.FaultJob;
import dev.procpool.testing.FaultJob.Fault;
import dev.procpool.testing.FaultJob.Kind;
import dev.procpool.testing.TestPools;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workers' AOT cache, with real worker JVMs: made once, reused, renewed for a changed jar, and harmless when the
 * JVM refuses it or it cannot be made: the workers start without it, the protocol stream stays clean, and the user
 * hears about it once.
 */
@Timeout(180)
class AotCacheIT {

    @TempDir
    Path cache;

    @TempDir
    Path jars;

    private final List<String> notices = Collections.synchronizedList(new ArrayList<>());

    private static WorkerJvm command(Path jar, List<String> jvmArgs) {
        return new WorkerJvm(WorkerJvm.currentJava(), jvmArgs, List.of(jar), Protocol.DEFAULT_MAX_FRAME_BYTES, null);
    }

    private Path workerJarCopy() throws IOException {
        Path jar = jars.resolve("procpool-worker.jar");
        Files.copy(Command.root().resolve("worker/target/procpool-worker.jar"), jar);
        return jar;
    }

    private ProcessPoolBuilder pool(Path jar, TestPools.CollectedOutput stderr) {
        return ProcessPool.builder().workers(2).workerJar(jar).aotCacheDirectory(cache)
                .workerOutput(stderr).notices(notices::add);
    }

    /** Runs a small sqrt job on the pool and checks its answer against a sequential run. */
    private static void computesRightly(ProcessPoolBuilder builder) {
        try (ProcessPool pool = builder.start()) {
            JobResult<Double> result = pool.run(new SqrtJob(), 1_000, 4);

            assertEquals(new SequentialRunner().run(new SqrtJob(), 1_000, 4).value(), result.value());
        }
    }

    @Test
    void prepare_makesTheCacheOnce_andReusesIt() throws Exception {
        Path jar = workerJarCopy();

        Path first = AotCache.prepare(command(jar, List.of()), cache, notices::add).orElseThrow();
        Object made = Files.readAttributes(first, BasicFileAttributes.class).fileKey();
        Files.setLastModifiedTime(first, FileTime.fromMillis(0));
        Path second = AotCache.prepare(command(jar, List.of()), cache, notices::add).orElseThrow();

        assertEquals(first, second);
        assertEquals(made, Files.readAttributes(second, BasicFileAttributes.class).fileKey(), "not made again");
        assertTrue(Files.getLastModifiedTime(second).toMillis() > 0, "marked as used");
        assertTrue(Files.size(first) > 1_000_000, "a real cache: the JDK's classes and the worker's");
        assertEquals(List.of(first), listing(), "no partial file, training record or log left behind");
        assertEquals(List.of(), notices);
    }

    @Test
    void prepare_changedJarOrFlags_getANewCache() throws Exception {
        Path jar = workerJarCopy();
        Path first = AotCache.prepare(command(jar, List.of()), cache, notices::add).orElseThrow();

        Path otherFlags = AotCache.prepare(command(jar, List.of("-Xmx200m")), cache, notices::add).orElseThrow();
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
        Path changedJar = AotCache.prepare(command(jar, List.of()), cache, notices::add).orElseThrow();

        assertNotEquals(first, otherFlags);
        assertNotEquals(first, changedJar);
        assertEquals(List.of(), notices);
    }

    @Test
    void prepare_newCache_keepsOnlyTheMostRecentlyUsed() throws Exception {
        Path jar = workerJarCopy();
        List<Path> older = new ArrayList<>();
        for (int i = 0; i < AotCache.KEEP + 2; i++) {
            Path old = Files.writeString(cache.resolve("worker-" + Integer.toHexString(0xa0 + i) + ".aot"), "old");
            Files.setLastModifiedTime(old, FileTime.fromMillis(1_000_000L * (i + 1)));
            older.add(old);
        }
        Path mine = Files.writeString(cache.resolve("my-notes.txt"), "not a cache");

        Path made = AotCache.prepare(command(jar, List.of()), cache, notices::add).orElseThrow();

        assertTrue(Files.isRegularFile(made));
        assertEquals(older.subList(3, older.size()), older.stream().filter(Files::exists).toList(),
                "the newest seven of the old ones stay beside the new one");
        assertTrue(Files.exists(mine), "only caches are pruned");
    }

    @Test
    void prepare_classesDirectory_noCache() {
        Optional<Path> made = AotCache.prepare(command(TestPools.classpath().get(0), List.of()), cache, notices::add);

        assertTrue(made.isEmpty(), "the JVM caches classes from jars only");
    }

    @Test
    void prepare_sharingTurnedOff_noCache_andNoWordAboutIt() throws Exception {
        Path jar = workerJarCopy();

        for (String off : List.of("-Xshare:off", "-XX:AOTMode=off")) {
            assertTrue(AotCache.prepare(command(jar, List.of(off)), cache, notices::add).isEmpty(), off);
        }
        assertEquals(List.of(), listing(), "no training run");
        assertEquals(List.of(), notices);
    }

    @Test
    void pool_startsFromTheCache_quietly() throws Exception {
        Path jar = workerJarCopy();
        TestPools.CollectedOutput stderr = new TestPools.CollectedOutput();

        computesRightly(pool(jar, stderr));

        assertEquals(1, listing().size(), "the cache was made: " + listing());
        assertEquals(List.of(), notices);
        assertEquals(List.of(), stderr.lines(), "workers said nothing");
    }

    @Test
    void pool_onThisProgramsClassPath_makesTheCacheOnceFromProcpoolsJars_andStartsFromItQuietly() throws Exception {
        ProcessPoolConfig config = ProcessPool.builder().build();
        WorkerClasspath classpath = WorkerClasspath.of(config, true);
        List<Path> procpool = classpath.entries().subList(0, classpath.workerEntries());
        assumeTrue(procpool.stream().allMatch(entry -> entry.toString().endsWith(".jar")),
                "procpool's classes come from jars, as in a Maven build: " + procpool);
        TestPools.CollectedOutput stderr = new TestPools.CollectedOutput();
        Path expected = AotCache.file(WorkerJvm.of(WorkerJvm.currentJava(), List.of(), classpath,
                Protocol.DEFAULT_MAX_FRAME_BYTES), cache);
        List<Object> made = new ArrayList<>();

        for (int pool = 0; pool < 2; pool++) {
            try (ProcessPool started = ProcessPool.builder().workers(2).aotCacheDirectory(cache)
                    .workerOutput(stderr).notices(notices::add).start()) {
                assertEquals(7L, started.submit(new FaultJob(), Fault.of(Kind.OK, 0, 7)).get(30, TimeUnit.SECONDS),
                        "a job of the test classes, which only this program's class path holds");
            }
            assertEquals(List.of(expected), listing(), "one cache, for procpool's jars");
            made.add(Files.readAttributes(expected, BasicFileAttributes.class).fileKey());
        }

        assertEquals(2, classpath.workerEntries(), "the worker's jar and the protocol's: " + procpool);
        assertEquals(made.get(0), made.get(1), "made by the first pool, not again by the second");
        assertEquals(List.of(), notices, "no refusal: the workers started from it");
        assertEquals(List.of(), stderr.lines(), "workers said nothing");
    }

    @Test
    void damagedCache_workersStartWithoutIt_andTheUserHearsOnce() throws Exception {
        Path jar = workerJarCopy();
        Path made = AotCache.prepare(command(jar, List.of()), cache, notices::add).orElseThrow();
        try (FileChannel file = FileChannel.open(made, StandardOpenOption.WRITE)) {
            file.truncate(Files.size(made) / 2);
        }
        TestPools.CollectedOutput stderr = new TestPools.CollectedOutput();

        computesRightly(pool(jar, stderr).maxTasksPerWorker(1)); // replacements start from the cache too

        assertRefusedOnce(made, "The AOT cache has been truncated.", stderr);
    }

    @Test
    void staleCache_madeForOtherFlags_workersStartWithoutIt_andTheUserHearsOnce() throws Exception {
        Path jar = workerJarCopy();
        // A cache that the name says fits, made for other flags: as if something outside the key had changed.
        Path other = AotCache.prepare(command(jar, List.of("-XX:-UseCompressedOops")), cache, notices::add)
                .orElseThrow();
        Path keyed = AotCache.file(command(jar, List.of()), cache);
        Files.move(other, keyed);
        TestPools.CollectedOutput stderr = new TestPools.CollectedOutput();

        computesRightly(pool(jar, stderr));

        assertRefusedOnce(keyed, "UseCompressedOops", stderr);
    }

    private void assertRefusedOnce(Path refused, String reason, TestPools.CollectedOutput stderr) throws Exception {
        assertEquals(1, notices.size(), "one notice for the pool, not one per worker: " + notices);
        String notice = notices.get(0);
        assertTrue(notice.contains("refused the workers' AOT cache " + refused), notice);
        assertTrue(notice.contains(reason), notice);
        assertTrue(notice.contains("workers start without it"), notice);
        assertTrue(stderr.lines().stream().noneMatch(line -> line.contains("[aot") || line.contains("[cds")),
                "the JVM's own lines were dropped: " + stderr.lines());
        assertFalse(Files.exists(refused), "the refused cache is deleted");
        notices.clear();

        computesRightly(pool(jars.resolve("procpool-worker.jar"), new TestPools.CollectedOutput()));

        assertEquals(List.of(), notices, "the next pool made a new cache and started from it quietly");
        assertTrue(Files.isRegularFile(refused), "made again under the same name");
    }

    @Test
    void cacheDirectoryThatCannotBeMade_workersStartWithoutIt_andTheUserHearsWhy() throws Exception {
        Path jar = workerJarCopy();
        Path file = Files.writeString(jars.resolve("a-file"), "not a directory");
        TestPools.CollectedOutput stderr = new TestPools.CollectedOutput();

        computesRightly(pool(jar, stderr).aotCacheDirectory(file.resolve("procpool")));

        assertEquals(1, notices.size(), notices.toString());
        assertTrue(notices.get(0).startsWith("cannot make the workers' AOT cache in " + file.resolve("procpool")),
                notices.get(0));
        assertEquals(List.of(), stderr.lines());
    }

    @Test
    void readOnlyCacheDirectory_workersStartWithoutIt_andTheUserHearsWhy() throws Exception {
        Path jar = workerJarCopy();
        boolean immutable = makeReadOnly(cache);
        try {
            assumeTrue(cannotWriteIn(cache), "this file system lets this user write in a read-only directory");
            TestPools.CollectedOutput stderr = new TestPools.CollectedOutput();

            computesRightly(pool(jar, stderr));

            assertEquals(1, notices.size(), notices.toString());
            assertTrue(notices.get(0).startsWith("cannot make the workers' AOT cache in " + cache), notices.get(0));
            assertTrue(notices.get(0).endsWith("workers start without it, more slowly"), notices.get(0));
            assertEquals(List.of(), stderr.lines());
        } finally {
            if (immutable) {
                run("chattr", "-i", cache.toString());
            }
            Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /**
     * Takes away the write permission; root ignores it, so as root the directory is also made immutable, where the
     * file system allows it. Returns whether it was.
     */
    private static boolean makeReadOnly(Path directory) throws Exception {
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("r-x------"));
        return cannotWriteIn(directory) ? false : run("chattr", "+i", directory.toString());
    }

    private static boolean cannotWriteIn(Path directory) {
        try {
            Files.delete(Files.createTempFile(directory, "probe", ".tmp"));
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static boolean run(String... command) throws Exception {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false; // no such program here
        }
    }

    private List<Path> listing() throws IOException {
        try (var files = Files.list(cache)) {
            return files.filter(file -> !file.getFileName().toString().equals("aot-cache.lock")).sorted().toList();
        }
    }
}
