package dev.procpool.internal;

import dev.procpool.protocol.Protocol;
import dev.procpool.protocol.WorkerArguments;
import dev.procpool.spi.WorkerCommand;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How a pool's worker JVMs are started: the JVM, its flags and the class path, from which each worker's
 * {@link WorkerCommand} is made. Immutable.
 *
 * @param java the {@code java} executable
 * @param jvmArgs the user's JVM arguments, placed after procpool's own flags so they can override them
 * @param classpath the worker's class path: the worker jar, or procpool's jars of the program's class path, first;
 *     then the user's entries
 * @param workerEntries how many of the first {@code classpath} entries are procpool's own, the worker and what it
 *     needs: the training run that makes the AOT cache runs from them alone
 * @param maxFrameBytes the largest frame the worker may accept or send
 * @param aotCache the AOT cache to start from, or null
 * @param classpathFile a file that gives the JVM the class path ({@link ClasspathArgFile}), for a class path too long
 *     for one argument; null to give it as {@code -cp}
 */
public record WorkerJvm(Path java, List<String> jvmArgs, List<Path> classpath, int workerEntries, int maxFrameBytes,
        Path aotCache, Path classpathFile) {

    /**
     * Keep the JVM's own output off stdout, which carries only protocol: unified logging (a refused AOT cache's
     * warnings, for one) and VM messages default to stdout; {@code -Xlog:disable} alone is not enough.
     * An {@code OutOfMemoryError} ends the worker at once instead of leaving it half alive. No performance-data
     * file: it costs start-up time and only serves {@code jps} ({@code --jvm-arg=-XX:+UsePerfData} brings it back).
     * The two JDK packages whose calls open the worker's protocol descriptors anew close-on-exec, opened to the worker;
     * native access, without the JDK's warning, for marking them through FFM where those calls are not there.
     */
    public static final List<String> BASE_FLAGS = List.of(
            "-Xlog:disable", "-Xlog:all=warning:stderr", "-XX:+DisplayVMOutputToStderr",
            "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData", "--add-opens=java.base/sun.nio.fs=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED");

    /**
     * The collector of a worker whose JVM arguments choose none. A worker computes one task at a time on one
     * thread, so the serial collector's single-threaded pauses cost it nothing that G1's background threads would
     * save, and it starts without them: measured here (JDK 25, AOT cache), 4 ms less CPU to the handshake, two
     * workers ready in 1.52 bare JVM starts instead of 1.61, and 1.7 MiB less resident. The JVM refuses two
     * collectors, so it is left out when the user's arguments name one.
     */
    static final String DEFAULT_COLLECTOR = "-XX:+UseSerialGC";

    public WorkerJvm {
        jvmArgs = List.copyOf(jvmArgs);
        classpath = List.copyOf(classpath);
        if (classpath.isEmpty()) {
            throw new IllegalArgumentException("classpath is empty");
        }
        if (workerEntries < 1 || workerEntries > classpath.size()) {
            throw new IllegalArgumentException("workerEntries must be between 1 and " + classpath.size() + ", was "
                    + workerEntries);
        }
    }

    /** A worker JVM whose class path starts with the worker jar. */
    public WorkerJvm(Path java, List<String> jvmArgs, List<Path> classpath, int maxFrameBytes, Path aotCache) {
        this(java, jvmArgs, classpath, 1, maxFrameBytes, aotCache, null);
    }

    public WorkerJvm(Path java, List<String> jvmArgs, List<Path> classpath, int workerEntries, int maxFrameBytes,
            Path aotCache) {
        this(java, jvmArgs, classpath, workerEntries, maxFrameBytes, aotCache, null);
    }

    /** A worker JVM of this class path, without an AOT cache. */
    public static WorkerJvm of(Path java, List<String> jvmArgs, WorkerClasspath classpath, int maxFrameBytes) {
        return new WorkerJvm(java, jvmArgs, classpath.entries(), classpath.workerEntries(), maxFrameBytes, null);
    }

    /** The same JVM, given its class path through {@code file} (see {@link ClasspathArgFile}). */
    public WorkerJvm withClasspathFile(Path file) {
        return new WorkerJvm(java, jvmArgs, classpath, workerEntries, maxFrameBytes, aotCache, file);
    }

    /** The first {@link #workerEntries} of the class path: procpool's own, what the AOT cache is made from. */
    public List<Path> workerClasspath() {
        return classpath.subList(0, workerEntries);
    }

    /** The JVM of this process. */
    public static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** The same JVM, starting from the AOT cache {@code aotCache}. */
    public WorkerJvm withAotCache(Path aotCache) {
        return new WorkerJvm(java, jvmArgs, classpath, workerEntries, maxFrameBytes, aotCache, classpathFile);
    }

    /** The command for worker {@code workerId}. */
    public WorkerCommand command(int workerId) {
        return command(workerId, 0);
    }

    /**
     * The command for worker {@code workerId} behind its launcher's link: its batches of answers keep within frames of
     * {@code batchFrameBytes} (0 for no such bound; see {@link dev.procpool.spi.WorkerLauncher#batchFrameBytes()}).
     */
    public WorkerCommand command(int workerId, int batchFrameBytes) {
        List<String> own = new ArrayList<>();
        if (aotCache != null) {
            own.add("-XX:AOTCache=" + aotCache);
        }
        own.add(workerIdFlag(workerId));
        return new WorkerCommand(workerId, java.toString(), jvmOptions(own), classpath, Protocol.WORKER_MAIN_CLASS,
                WorkerArguments.serve(maxFrameBytes).behind(batchFrameBytes).toList(), classpathFile);
    }

    /** The full command line for worker {@code workerId} on this machine. */
    public List<String> toList(int workerId) {
        return command(workerId).toList();
    }

    /**
     * The command for the run that writes the AOT cache to {@code cacheOut}: the same JVM and flags as a worker's,
     * procpool's own entries of the class path alone (a prefix of the workers' class path, as the JVM requires of a
     * cache's), and the worker's training mode.
     */
    public List<String> trainingCommand(Path cacheOut) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions(List.of("-XX:AOTCacheOutput=" + cacheOut)));
        command.add("-cp");
        command.add(workerClasspath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        command.add(Protocol.WORKER_MAIN_CLASS);
        command.addAll(WorkerArguments.train().toList());
        return command;
    }

    /** procpool's flags, then {@code ownFlags}, then the user's JVM arguments, which may override them. */
    private List<String> jvmOptions(List<String> ownFlags) {
        List<String> options = new ArrayList<>(BASE_FLAGS);
        if (jvmArgs.stream().noneMatch(WorkerJvm::choosesCollector)) {
            options.add(DEFAULT_COLLECTOR);
        }
        options.addAll(ownFlags);
        options.addAll(jvmArgs);
        return options;
    }

    /** {@code -XX:+UseG1GC}, {@code -XX:+UseZGC} and the like. */
    private static boolean choosesCollector(String jvmArg) {
        return jvmArg.startsWith("-XX:+Use") && jvmArg.endsWith("GC");
    }

    private static String workerIdFlag(int workerId) {
        return "-Dprocpool.worker.id=" + workerId;
    }
}
