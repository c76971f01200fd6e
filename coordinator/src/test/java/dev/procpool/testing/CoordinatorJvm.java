package dev.procpool.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

/**
 * A coordinator in a JVM of its own, started by a test on the test class path, and what it has printed so far: lines
 * of {@code key value} ({@code worker HOST PID}, {@code result BITS}, ...) on stdout, notices on stderr (kept in a
 * file). Its stdout is read by a daemon thread of its own; the rest is for the test's thread.
 */
public record CoordinatorJvm(Process process, String mainClass, ConcurrentLinkedQueue<String> out, Path err) {

    /**
     * Starts {@code mainClass} with {@code args}, behind {@code prefix} (a command that runs the JVM, such as
     * {@code salloc ...}; may be empty). Its stdin stays a pipe from this JVM, never a terminal.
     */
    public static CoordinatorJvm start(List<String> prefix, Class<?> mainClass, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-cp",
                String.join(File.pathSeparator, TestPools.classpath().stream().map(Path::toString).toList()),
                mainClass.getName()));
        command.addAll(args);
        Path err = Files.createTempFile("procpool-coordinator-", ".err");
        err.toFile().deleteOnExit();
        Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
        ConcurrentLinkedQueue<String> out = new ConcurrentLinkedQueue<>();
        Thread.ofPlatform().name("test-coordinator-stdout").daemon().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                lines.lines().forEach(out::add);
            } catch (IOException | UncheckedIOException e) {
                // The coordinator is gone: what it printed is what there is.
            }
        });
        return new CoordinatorJvm(process, mainClass.getName(), out, err);
    }

    /** The rest of the first line that starts with {@code key}, or null. */
    public String value(String key) {
        return out.stream().filter(line -> line.startsWith(key + " ")).map(line -> line.substring(key.length() + 1))
                .findFirst().orElse(null);
    }

    /** The pids of the {@code worker HOST PID} lines. */
    public List<Long> workerPids() {
        return out.stream().filter(line -> line.startsWith("worker "))
                .map(line -> Long.parseLong(line.substring(line.lastIndexOf(' ') + 1))).toList();
    }

    /** The hosts of the {@code worker HOST PID} lines. */
    public Set<String> workerHosts() {
        Set<String> hosts = new TreeSet<>();
        out.stream().filter(line -> line.startsWith("worker ")).forEach(line -> hosts.add(line.split(" ")[1]));
        return hosts;
    }

    /** The workers' processes that still exist. */
    public List<ProcessHandle> workers() {
        return workerPids().stream().map(ProcessHandle::of).flatMap(Optional::stream).toList();
    }

    /** The coordinator's JVM: the process itself, or the descendant of the prefix command that runs it. */
    public ProcessHandle jvm() {
        if (runsMain(process.toHandle())) {
            return process.toHandle();
        }
        try (Stream<ProcessHandle> descendants = process.descendants()) {
            return descendants.filter(this::runsMain).findFirst()
                    .orElseThrow(() -> new AssertionError("no coordinator JVM: " + this));
        }
    }

    /** A {@code java} whose command line names the main class: not the prefix command, which names it too. */
    private boolean runsMain(ProcessHandle candidate) {
        return isCommand(candidate, "java")
                && candidate.info().commandLine().map(line -> line.contains(mainClass)).orElse(false);
    }

    /** Whether a process has a command named {@code name}. */
    public static boolean isCommand(ProcessHandle process, String name) {
        return process.info().command().map(command -> command.endsWith("/" + name)).orElse(false);
    }

    /** The CPU time {@code processes} have used so far, in milliseconds. */
    public static long cpuMillis(List<ProcessHandle> processes) {
        return processes.stream()
                .mapToLong(process -> process.info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(0L))
                .sum();
    }

    /** Kills it and whatever it started. */
    public void destroy() {
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
