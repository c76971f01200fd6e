package dev.procpool.internal;

import dev.procpool.ProcessPoolConfig;
import dev.procpool.WorkerStartException;
import dev.procpool.protocol.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.jar.JarFile;

/**
 * The class path a pool's workers start with, procpool's own entries first. Immutable.
 *
 * <p>Which one, from a pool's settings, first that applies:
 * <ol>
 *   <li>the whole worker class path, if one is given;</li>
 *   <li>the worker jar given to the builder, the {@code procpool.worker.jar} property or the
 *       {@code PROCPOOL_WORKER_JAR} variable, then the pool's extra entries, as before;</li>
 *   <li>for workers started on this machine, this program's own class path ({@link ProgramClasspath}), with the
 *       entries that hold the worker and the protocol moved to the front, then the extra entries: the workers find
 *       the program's jobs and their dependencies without any setting, and their AOT cache is keyed by procpool's
 *       jars alone;</li>
 *   <li>else the worker jar next to procpool's jar or in its build tree, then (for workers on this machine) the
 *       program's class path, then the extra entries.</li>
 * </ol>
 * Workers elsewhere (over SSH, in a Slurm allocation) get the worker jar and the extra entries, the files their
 * launcher copies to where they run.
 *
 * @param entries the class path
 * @param workerEntries how many of the first entries are procpool's own: the worker and what it needs
 */
public record WorkerClasspath(List<Path> entries, int workerEntries) {

    private static final String WORKER_CLASS = Protocol.WORKER_MAIN_CLASS.replace('.', '/') + ".class";
    private static final String PROTOCOL_CLASS = Protocol.class.getName().replace('.', '/') + ".class";

    public WorkerClasspath {
        entries = List.copyOf(entries);
        if (workerEntries < 1 || workerEntries > entries.size()) {
            throw new IllegalArgumentException("workerEntries must be between 1 and " + entries.size() + ", was "
                    + workerEntries);
        }
    }

    /**
     * The class path for {@code config}'s workers; {@code local} if they start on this machine.
     *
     * @throws WorkerStartException if a given worker jar is not one, or no worker can be found
     */
    public static WorkerClasspath of(ProcessPoolConfig config, boolean local) {
        if (!config.workerClasspath().isEmpty()) {
            return new WorkerClasspath(config.workerClasspath(), 1);
        }
        Optional<Path> jar = config.workerJar() != null
                ? Optional.of(WorkerJarLocator.existing(config.workerJar(), "workerJar"))
                : WorkerJarLocator.configured();
        if (jar.isPresent()) {
            return withJar(jar.get(), List.of(), config.classpath());
        }
        if (!local) {
            return elsewhere(config.classpath(), WorkerJarLocator::nearby);
        }
        return ofProgram(ProgramClasspath.discover(), config.classpath(), WorkerJarLocator::nearby);
    }

    /**
     * The class path of workers on other machines: the worker jar {@code nearbyJar} finds, then {@code extra}.
     *
     * @throws WorkerStartException if it finds none
     */
    static WorkerClasspath elsewhere(List<Path> extra, Supplier<Optional<Path>> nearbyJar) {
        Path jar = nearbyJar.get().orElseThrow(() -> new WorkerStartException("cannot start workers on other machines:"
                + " they start from procpool-worker.jar, and there is none next to procpool's jar. Give it:"
                + " ProcessPool.builder().workerJar(path) (a build of procpool makes it in worker/target/)"));
        return withJar(jar, List.of(), extra);
    }

    /**
     * The class path of a program whose class path is {@code program}, with {@code extra} entries after it: the
     * program's entries that hold the worker and the protocol first, then the others; or, if none holds the worker,
     * the worker jar {@code nearbyJar} finds first.
     *
     * @throws WorkerStartException if neither the program's class path nor {@code nearbyJar} has a worker
     */
    static WorkerClasspath ofProgram(List<Path> program, List<Path> extra, Supplier<Optional<Path>> nearbyJar) {
        Optional<Path> worker = holding(program, WORKER_CLASS);
        if (worker.isEmpty()) {
            Path jar = nearbyJar.get().orElseThrow(() -> new WorkerStartException("cannot start workers: no "
                    + Protocol.WORKER_MAIN_CLASS + " on this program's class path, and no worker jar next to procpool's"
                    + " jar. Depend on dev.procpool:procpool-coordinator (it brings dev.procpool:procpool-worker), or"
                    + " give the worker jar: ProcessPool.builder().workerJar(path)"));
            return withJar(jar, program, extra);
        }
        Set<Path> first = new LinkedHashSet<>();
        first.add(worker.get());
        holding(program, PROTOCOL_CLASS).ifPresent(first::add);
        Set<Path> all = new LinkedHashSet<>(first);
        all.addAll(program);
        all.addAll(extra);
        return new WorkerClasspath(new ArrayList<>(all), first.size());
    }

    private static WorkerClasspath withJar(Path jar, List<Path> program, List<Path> extra) {
        Set<Path> all = new LinkedHashSet<>();
        all.add(jar);
        all.addAll(program);
        all.addAll(extra);
        return new WorkerClasspath(new ArrayList<>(all), 1);
    }

    /** The first entry that holds {@code classFile}, a directory of classes or a jar. */
    private static Optional<Path> holding(List<Path> classpath, String classFile) {
        for (Path entry : classpath) {
            if (Files.isDirectory(entry) ? Files.isRegularFile(entry.resolve(classFile)) : jarHolds(entry, classFile)) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    private static boolean jarHolds(Path jar, String classFile) {
        if (!Files.isRegularFile(jar)) {
            return false;
        }
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            return file.getEntry(classFile) != null;
        } catch (IOException e) {
            return false; // not a jar: the JVM skips it too
        }
    }
}
