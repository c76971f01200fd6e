package dev.procpool.internal;

import dev.procpool.protocol.Protocol;
import dev.procpool.protocol.WorkerArguments;
import dev.procpool.spi.WorkerCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a pool's worker JVMs are started: the JVM, its flags and the class path, from which each worker's
 * {@link WorkerCommand} is made. Immutable.
 *
 * @param java the {@code java} executable
 * @param jvmArgs the user's JVM arguments, placed after procpool's own flags so they can override them
 * @param classpath the worker's class path: the worker jar (or, in tests, the test class path) and user jars
 * @param maxFrameBytes the largest frame the worker may accept or send
 * @param archive the class-data-sharing archive to start from, or null
 */
public record WorkerJvm(Path java, List<String> jvmArgs, List<Path> classpath, int maxFrameBytes, Path archive) {

    /**
     * Keep the JVM's own output off stdout, which carries only protocol: unified logging (a stale class-data
     * archive warning, for one) and VM messages default to stdout; {@code -Xlog:disable} alone is not enough.
     * An {@code OutOfMemoryError} ends the worker at once instead of leaving it half alive. No performance-data
     * file: it costs start-up time and only serves {@code jps} ({@code --jvm-arg=-XX:+UsePerfData} brings it back).
     */
    public static final List<String> BASE_FLAGS = List.of(
            "-Xlog:disable", "-Xlog:all=warning:stderr", "-XX:+DisplayVMOutputToStderr",
            "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData");

    public WorkerJvm {
        jvmArgs = List.copyOf(jvmArgs);
        classpath = List.copyOf(classpath);
        if (classpath.isEmpty()) {
            throw new IllegalArgumentException("classpath is empty");
        }
    }

    /** The JVM of this process. */
    public static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** The same command, starting from {@code archive}. */
    public WorkerJvm withArchive(Path archive) {
        return new WorkerJvm(java, jvmArgs, classpath, maxFrameBytes, archive);
    }

    /** The command for worker {@code workerId}. */
    public WorkerCommand command(int workerId) {
        List<String> options = new ArrayList<>(BASE_FLAGS);
        if (archive != null) {
            options.add("-XX:SharedArchiveFile=" + archive);
        }
        options.add(workerIdFlag(workerId));
        options.addAll(jvmArgs);
        return new WorkerCommand(workerId, java.toString(), options, classpath, Protocol.WORKER_MAIN_CLASS,
                WorkerArguments.serve(maxFrameBytes).toList());
    }

    /** The full command line for worker {@code workerId} on this machine. */
    public List<String> toList(int workerId) {
        return command(workerId).toList();
    }

    /**
     * The command for the run that records the class-data archive into {@code archiveOut}: the same JVM and flags
     * as a worker's, the worker jar (the first class path entry) alone, and the worker's training mode.
     */
    public List<String> trainingCommand(Path archiveOut) {
        List<String> command = jvm(List.of("-XX:ArchiveClassesAtExit=" + archiveOut));
        command.add("-cp");
        command.add(classpath.get(0).toString());
        command.add(Protocol.WORKER_MAIN_CLASS);
        command.addAll(WorkerArguments.train().toList());
        return command;
    }

    /** The JVM with procpool's flags, then {@code ownFlags}, then the user's JVM arguments, which may override them. */
    private List<String> jvm(List<String> ownFlags) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(BASE_FLAGS);
        command.addAll(ownFlags);
        command.addAll(jvmArgs);
        return command;
    }

    private static String workerIdFlag(int workerId) {
        return "-Dprocpool.worker.id=" + workerId;
    }
}
