package dev.procpool;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.SlurmCluster;
import dev.procpool.testing.SlurmCoordinator;
import dev.procpool.testing.TestPools;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A coordinator in a JVM of its own ({@link SlurmCoordinator}) whose workers are Slurm job steps, inside an allocation
 * made with {@code salloc -N2 -n4} or in one it asks for: the sqrt job gives the bits of threads with workers on both
 * nodes, and its SIGKILL leaves nothing behind within 5 s: no worker JVM, no step, no allocation, no {@code srun} or
 * {@code salloc}.
 */
@Timeout(90)
class SlurmCoordinatorIT {

    private static final long SIZE = 100_000_000L;
    private static final int TASKS = 8;
    /** A run that lasts far longer than any test: it is killed mid-way. */
    private static final long ENDLESS_SIZE = 1L << 50;
    private static final Duration GONE_WITHIN = Duration.ofSeconds(5);
    private static String threadsBits;

    @BeforeAll
    static void computeWithThreads() {
        SlurmCluster.assumeAvailable();
        try (ThreadRunner threads = new ThreadRunner(2)) {
            Double sum = (Double) threads.run(dev.procpool.job.JobRegistry.loadDefault().get("sqrt"), SIZE, TASKS)
                    .value();
            threadsBits = Long.toHexString(Double.doubleToRawLongBits(sum));
        }
    }

    @BeforeEach
    void clusterAnswers() {
        SlurmCluster.assumeAvailable();
    }

    @Test
    void insideSalloc_sameBitsAsThreads_onBothNodes() throws Exception {
        Coordinator run = Coordinator.start(true, SIZE, TASKS);
        try {
            assertTrue(run.process.waitFor(60, TimeUnit.SECONDS), "the run ends: " + run);
            assertEquals(0, run.process.exitValue(), "exit status: " + run);

            assertEquals(threadsBits, run.value("result"), "same bits as threads: " + run);
            assertEquals(Set.copyOf(SlurmCluster.NODES), run.nodes(), "workers on both nodes: " + run);
            String job = run.value("job");
            await().atMost(GONE_WITHIN).until(() -> !SlurmCluster.holds(job));
        } finally {
            run.destroy();
        }
    }

    @ParameterizedTest(name = "inside salloc: {0}")
    @ValueSource(booleans = {false, true})
    void coordinatorSigkilled_nothingIsLeftWithinFiveSeconds(boolean insideSalloc) throws Exception {
        Coordinator run = Coordinator.start(insideSalloc, ENDLESS_SIZE, 64);
        try {
            await().atMost(Duration.ofSeconds(45)).until(() -> run.workerPids().size() == 4 || !run.process.isAlive());
            String job = run.value("job");
            List<ProcessHandle> workers = run.workerPids().stream().map(ProcessHandle::of)
                    .flatMap(java.util.Optional::stream).toList();
            assertEquals(4, workers.size(), "four workers alive: " + run);
            // Mid-computation: JVM start-up costs well under a CPU-second per worker; tasks cost more.
            await().atMost(Duration.ofSeconds(30)).until(() -> cpuMillis(workers) > 2_000);
            ProcessHandle coordinator = run.coordinatorJvm();
            List<ProcessHandle> everything = new ArrayList<>(workers);
            everything.addAll(SlurmCluster.clientsOf(job));
            everything.add(run.process.toHandle());
            everything.addAll(run.process.descendants().toList());
            assertTrue(everything.stream().anyMatch(process -> isCommand(process, "srun")), "srun seen: " + everything);

            coordinator.destroyForcibly();

            await().atMost(GONE_WITHIN).until(() -> everything.stream().noneMatch(SlurmCoordinatorIT::running)
                    && SlurmCluster.clientsOf(job).isEmpty() && !SlurmCluster.holds(job));
        } finally {
            run.destroy();
        }
    }

    private static boolean isCommand(ProcessHandle process, String name) {
        return process.info().command().map(command -> command.endsWith("/" + name)).orElse(false);
    }

    private static long cpuMillis(List<ProcessHandle> processes) {
        return processes.stream()
                .mapToLong(process -> process.info().totalCpuDuration().map(Duration::toMillis).orElse(0L))
                .sum();
    }

    /** Alive and not a zombie: {@link ProcessHandle#isAlive()} is true for a zombie nobody has reaped yet. */
    private static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false; // gone between the two checks
        }
    }

    /** A {@link SlurmCoordinator} JVM, under {@code salloc} or not, and what it has printed so far. */
    private record Coordinator(Process process, ConcurrentLinkedQueue<String> out, Path err) {

        static Coordinator start(boolean insideSalloc, long size, int tasks) throws IOException {
            List<String> command = new ArrayList<>();
            if (insideSalloc) {
                command.addAll(List.of("salloc", "--quiet", "-N2", "-n4"));
            }
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                    "-cp", String.join(File.pathSeparator, TestPools.classpath().stream().map(Path::toString).toList()),
                    SlurmCoordinator.class.getName(), Long.toString(size), Integer.toString(tasks), "4"));
            if (!insideSalloc) {
                command.add("--ntasks-per-node=2");
            }
            Path err = Files.createTempFile("procpool-slurm-coordinator-", ".err");
            err.toFile().deleteOnExit();
            // Its stdin stays a pipe from this JVM, never a terminal.
            Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
            ConcurrentLinkedQueue<String> out = new ConcurrentLinkedQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    lines.lines().forEach(out::add);
                } catch (IOException | java.io.UncheckedIOException e) {
                    // The coordinator is gone: what it printed is what there is.
                }
            }, "test-slurm-coordinator-stdout");
            reader.setDaemon(true);
            reader.start();
            return new Coordinator(process, out, err);
        }

        /** The rest of the first line that starts with {@code key}, or null. */
        String value(String key) {
            return out.stream().filter(line -> line.startsWith(key + " ")).map(line -> line.substring(key.length() + 1))
                    .findFirst().orElse(null);
        }

        List<Long> workerPids() {
            return out.stream().filter(line -> line.startsWith("worker "))
                    .map(line -> Long.parseLong(line.substring(line.lastIndexOf(' ') + 1))).toList();
        }

        Set<String> nodes() {
            Set<String> nodes = new TreeSet<>();
            out.stream().filter(line -> line.startsWith("worker ")).forEach(line -> nodes.add(line.split(" ")[1]));
            return nodes;
        }

        /** The coordinator's JVM: the process itself, or the child of {@code salloc} that runs it. */
        ProcessHandle coordinatorJvm() {
            if (isCommand(process.toHandle(), "java")) {
                return process.toHandle();
            }
            try (Stream<ProcessHandle> descendants = process.descendants()) {
                return descendants.filter(child -> child.info().commandLine()
                                .map(line -> line.contains(SlurmCoordinator.class.getName())).orElse(false))
                        .findFirst().orElseThrow(() -> new AssertionError("no coordinator JVM under salloc: " + this));
            }
        }

        void destroy() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }

        @Override
        public String toString() {
            String stderr;
            try {
                stderr = Files.readString(err);
            } catch (IOException e) {
                stderr = "(unreadable: " + e + ")";
            }
            return "stdout " + List.copyOf(out) + ", stderr: " + stderr.strip();
        }
    }
}
