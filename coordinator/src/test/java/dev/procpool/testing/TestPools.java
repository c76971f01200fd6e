package dev.procpool.testing;

import dev.procpool.ProcessPool;
import dev.procpool.ProcessPoolBuilder;
import dev.procpool.WorkerOutput;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Starts process pools whose workers run from this test JVM's class path, so they see the test jobs. */
public final class TestPools {

    private TestPools() {
    }

    /** This JVM's class path: the test classes, the worker's classes, and their dependencies. */
    public static List<Path> classpath() {
        List<Path> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(Path.of(entry));
            }
        }
        return entries;
    }

    /** A builder for {@code workers} workers on the test class path, with small heaps and quiet stderr. */
    public static ProcessPoolBuilder builder(int workers) {
        return ProcessPool.builder()
                .workers(workers)
                .workerClasspath(classpath())
                .jvmArgs("-Xmx96m")
                .startupTimeout(Duration.ofSeconds(60))
                .workerOutput(WorkerOutput.discard());
    }

    /** Collects worker stderr lines as {@code [worker N] line}, for tests that check what workers print. */
    public static final class CollectedOutput implements WorkerOutput {

        private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

        @Override
        public void line(int workerId, String line) {
            lines.add("[worker " + workerId + "] " + line);
        }

        public List<String> lines() {
            return new ArrayList<>(lines);
        }
    }
}
