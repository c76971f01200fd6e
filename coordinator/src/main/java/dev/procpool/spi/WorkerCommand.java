package dev.procpool.spi;

import dev.procpool.protocol.WorkerArguments;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What starts one worker JVM: the pool decides it, a {@link WorkerLauncher} carries it out wherever the worker
 * runs. Immutable.
 *
 * @param workerId the worker's id in its pool, from 1; replacements get new ids
 * @param java the {@code java} executable, as a path on the machine the pool runs on
 * @param jvmOptions options for the JVM, procpool's own first, then the user's (which may override them)
 * @param classpath the worker's class path: the worker jar and the user's entries, as paths on this machine
 * @param mainClass the worker's main class
 * @param arguments the arguments for the main class
 * @param classpathFile on this machine, a file that gives the JVM its class path ({@code @file}, holding
 *     {@code -cp "..."}), for a class path too long for one argument (the kernel takes at most 128 KiB per argument);
 *     null to give it as {@code -cp}. Launchers that copy the class path elsewhere name the copies as {@code -cp}.
 */
public record WorkerCommand(int workerId, String java, List<String> jvmOptions, List<Path> classpath,
        String mainClass, List<String> arguments, Path classpathFile) {

    /** The shell command that moves the protocol's pipes to descriptors 3 and 4, and 0 and 1 out of their way. */
    static final String MOVE_PROTOCOL = "exec 3<&0 4>&1 </dev/null 1>&2";

    /**
     * What {@code /bin/sh} runs to start a worker isolated (see {@link #toIsolatedList()}): it moves the pipes on
     * descriptors 0 and 1 to 3 and 4, points 0 at {@code /dev/null} and 1 at stderr, and replaces itself with the
     * worker's JVM, its arguments following the script.
     */
    public static final String ISOLATING_SCRIPT = MOVE_PROTOCOL + "; exec \"$@\"";

    public WorkerCommand {
        Objects.requireNonNull(java, "java");
        Objects.requireNonNull(mainClass, "mainClass");
        jvmOptions = List.copyOf(jvmOptions);
        classpath = List.copyOf(classpath);
        arguments = List.copyOf(arguments);
        if (classpath.isEmpty()) {
            throw new IllegalArgumentException("classpath is empty");
        }
    }

    /** A command that gives the class path as {@code -cp}. */
    public WorkerCommand(int workerId, String java, List<String> jvmOptions, List<Path> classpath, String mainClass,
            List<String> arguments) {
        this(workerId, java, jvmOptions, classpath, mainClass, arguments, null);
    }

    /**
     * The command line that starts the worker with its protocol off descriptors 0 and 1 before its JVM even starts:
     * {@code /bin/sh} moves the two pipes to descriptors 3 and 4 and points 0 at {@code /dev/null} and 1 at stderr,
     * then runs the JVM in its own place (same process), which speaks the protocol on 3 and 4 only. Nothing a task,
     * native code, a child process or the JVM itself does with stdin or stdout can then reach the protocol. What a
     * launcher should run, here or elsewhere, wherever {@code /bin/sh} exists.
     */
    public List<String> toIsolatedList() {
        return isolated(toList());
    }

    /** {@link #toIsolatedList()} with another {@code java} and class path, as {@link #toList(String, List)}. */
    public List<String> toIsolatedList(String javaThere, List<String> classpathThere) {
        return isolated(toList(javaThere, classpathThere));
    }

    private static List<String> isolated(List<String> command) {
        List<String> line = new ArrayList<>(List.of("/bin/sh", "-c", ISOLATING_SCRIPT, "procpool-worker"));
        line.addAll(withPrivateDescriptors(command));
        return line;
    }

    /**
     * {@link #toList()} for a worker that speaks the protocol on descriptors 3 and 4 only: what runs it must have
     * moved the pipes there ({@link #MOVE_PROTOCOL}).
     */
    List<String> toPrivateDescriptorsList() {
        return withPrivateDescriptors(toList());
    }

    /**
     * {@link #toPrivateDescriptorsList()} with another {@code java} and class path, as {@link #toList(String, List)}:
     * for a host where what runs the worker has moved the pipes.
     */
    List<String> toPrivateDescriptorsList(String javaThere, List<String> classpathThere) {
        return withPrivateDescriptors(toList(javaThere, classpathThere));
    }

    private static List<String> withPrivateDescriptors(List<String> command) {
        List<String> line = new ArrayList<>(command);
        line.add(WorkerArguments.PRIVATE_DESCRIPTORS);
        return line;
    }

    /** The same command with other arguments for the main class. */
    public WorkerCommand withArguments(List<String> otherArguments) {
        return new WorkerCommand(workerId, java, jvmOptions, classpath, mainClass, otherArguments, classpathFile);
    }

    /** The same command with other JVM options. */
    public WorkerCommand withJvmOptions(List<String> otherOptions) {
        return new WorkerCommand(workerId, java, otherOptions, classpath, mainClass, arguments, classpathFile);
    }

    /**
     * The whole command line for this machine: {@code java <options> -cp <classpath> <main class> <arguments>}, or
     * {@code @<classpathFile>} in place of {@code -cp <classpath>} if there is such a file.
     */
    public List<String> toList() {
        List<String> entries = new ArrayList<>(classpath.size());
        for (Path entry : classpath) {
            entries.add(entry.toString());
        }
        List<String> command = toList(java, entries);
        if (classpathFile != null) {
            int option = 1 + jvmOptions.size(); // java, the options, then -cp and the class path
            command.set(option, "@" + classpathFile);
            command.remove(option + 1);
        }
        return command;
    }

    /**
     * The command line with another {@code java} and class path: what a launcher that copies the class path
     * elsewhere (another host, a node's local disk) runs there.
     */
    public List<String> toList(String javaThere, List<String> classpathThere) {
        List<String> command = new ArrayList<>();
        command.add(javaThere);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpathThere));
        command.add(mainClass);
        command.addAll(arguments);
        return command;
    }
}
