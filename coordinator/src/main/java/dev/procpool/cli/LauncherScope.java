package dev.procpool.cli;

import dev.procpool.ProcessPoolBuilder;
import dev.procpool.WorkerStartException;
import dev.procpool.spi.HostsLauncher;
import dev.procpool.spi.SlurmLauncher;
import dev.procpool.spi.WorkerLauncher;
import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A launcher for the life of one command: prepared once before anything runs (hosts connected and checked, files
 * copied, an allocation granted), shared by every pool the command starts, and closed at the end, or by a shutdown
 * hook if the command is stopped (SIGINT, SIGTERM) first. Not thread-safe: one command, one thread; the hook only
 * closes.
 */
public final class LauncherScope implements AutoCloseable {

    private final WorkerLauncher launcher;
    private final Thread hook;

    private LauncherScope(WorkerLauncher launcher) {
        this.launcher = launcher;
        this.hook = new Thread(launcher::close, "procpool-launcher-close");
    }

    /**
     * Prepares {@code launcher} for the workers {@code pool} describes.
     *
     * @throws WorkerStartException if no worker could be launched with it: the launcher's own words
     */
    public static LauncherScope open(WorkerLauncher launcher, ProcessPoolBuilder pool, Consumer<String> notices) {
        LauncherScope scope = new LauncherScope(launcher);
        Runtime.getRuntime().addShutdownHook(scope.hook);
        try {
            launcher.prepare(pool.build().workerCommand(0));
        } catch (IOException | RuntimeException e) {
            scope.close();
            throw new WorkerStartException("cannot start workers " + scope.where() + ": " + e.getMessage(), e);
        }
        notices.accept("workers run " + scope.describe());
        return scope;
    }

    /** Where the workers go, for messages: {@code on the hosts a (4), b (2)}, {@code in Slurm allocation 42}. */
    public String describe() {
        if (launcher instanceof HostsLauncher hosts) {
            Map<String, Integer> slots = hosts.slots();
            return "on " + (slots.size() == 1 ? "host " : "the hosts ") + slots.entrySet().stream()
                    .map(slot -> slot.getKey() + " (" + slot.getValue() + ")").collect(Collectors.joining(", "));
        }
        if (launcher instanceof SlurmLauncher slurm) {
            return "in Slurm allocation " + slurm.jobId() + " (" + slurm.capacity() + " tasks)";
        }
        return "with " + launcher;
    }

    private String where() {
        return launcher instanceof SlurmLauncher ? "as Slurm steps" : launcher instanceof HostsLauncher
                ? "on --hosts" : "with " + launcher;
    }

    /** Closes the launcher (connections, an allocation it asked for). Idempotent. */
    @Override
    public void close() {
        launcher.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is exiting: the hook closes it.
        }
    }
}
