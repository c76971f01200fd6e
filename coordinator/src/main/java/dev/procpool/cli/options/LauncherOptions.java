package dev.procpool.cli.options;

import dev.procpool.ProcessPoolConfig;
import dev.procpool.spi.HostSlots;
import dev.procpool.spi.HostsLauncher;
import dev.procpool.spi.SlurmLauncher;
import dev.procpool.spi.WorkerLauncher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where worker processes run: {@code --hosts} (over SSH, or {@code local}) with {@code --ssh-arg} and
 * {@code --remote-java}, or {@code --slurm} with {@code --slurm-arg}; without them, child processes of this JVM. A
 * picocli mixin, shared by the run and the bench. Not thread-safe: one command, one thread.
 */
public final class LauncherOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--hosts", paramLabel = "DEST[:N],...", split = ",",
            description = "Run the worker processes on these SSH destinations (an alias from your SSH config, host, "
                    + "user@host), N on each (default: one per core of that host); 'local' starts them here without "
                    + "SSH. The hosts need Java 25; the worker jar and --classpath are copied there.")
    private List<String> hosts = new ArrayList<>();

    @Option(names = "--ssh-arg", paramLabel = "ARG",
            description = "An argument for every ssh, e.g. --ssh-arg=-F --ssh-arg=FILE. Repeatable.")
    private List<String> sshArgs = new ArrayList<>();

    @Option(names = "--remote-java", paramLabel = "PATH",
            description = "The java to run on --hosts (Java 25 or later). Default: java on the remote PATH.")
    private String remoteJava;

    @Option(names = "--slurm",
            description = "Run the worker processes as Slurm job steps: in this allocation if there is one (then "
                    + "--workers defaults to its task count), else in one asked for with --workers tasks (default: "
                    + "this machine's available processors, said on stderr) and given back at the end.")
    private boolean slurm;

    @Option(names = "--slurm-arg", paramLabel = "ARG",
            description = "An argument for the allocation request (outside an allocation), e.g. "
                    + "--slurm-arg=--partition=debug --slurm-arg=--time=10. Repeatable.")
    private List<String> slurmArgs = new ArrayList<>();

    @Option(names = "--slurm-copy-to", paramLabel = "DIR",
            description = "Copy the workers' jars with sbcast into DIR on each node (an absolute path every node can "
                    + "write, e.g. /tmp/procpool), for nodes that do not share this machine's files. Default: the "
                    + "nodes use the jars where they are here.")
    private Path slurmCopyTo;

    /** Whether workers run anywhere but as child processes of this JVM. */
    public boolean elsewhere() {
        return !hosts.isEmpty() || slurm;
    }

    /** The options as given, for messages: {@code --hosts} or {@code --slurm}. */
    public String name() {
        return slurm ? "--slurm" : "--hosts";
    }

    /**
     * The launcher these options ask for, not yet prepared; null for child processes of this JVM.
     *
     * @param wanted how many workers to ask Slurm for outside an allocation
     * @param notices where the launcher says what it did (a host dropped, an allocation granted)
     * @throws ParameterException for options that do not go together or an entry that cannot be read
     */
    public WorkerLauncher launcher(int wanted, Consumer<String> notices) {
        return launcher(wanted, ProcessPoolConfig.DEFAULT_HEARTBEAT_TIMEOUT, notices);
    }

    /**
     * The launcher these options ask for, for a pool with {@code heartbeatTimeout}: over SSH, a kill that gets no
     * answer for that long means the host's connection is dead.
     *
     * @see #launcher(int, Consumer)
     */
    public WorkerLauncher launcher(int wanted, Duration heartbeatTimeout, Consumer<String> notices) {
        if (!hosts.isEmpty() && slurm) {
            throw usage("--hosts and --slurm cannot be used together: workers run over SSH or as Slurm steps");
        }
        if (hosts.isEmpty() && command.commandLine().getParseResult().hasMatchedOption("--hosts")) {
            throw usage("--hosts has no entry: give DEST[:N],DEST[:N]...");
        }
        if (remoteJava != null && remoteJava.isBlank()) {
            throw usage("--remote-java needs the path of a java on the hosts (Java 25 or later)");
        }
        if (hosts.isEmpty() && (!sshArgs.isEmpty() || remoteJava != null)) {
            throw usage((sshArgs.isEmpty() ? "--remote-java" : "--ssh-arg") + " applies to --hosts, which is not "
                    + "given");
        }
        if (!slurm && (!slurmArgs.isEmpty() || slurmCopyTo != null)) {
            throw usage((slurmArgs.isEmpty() ? "--slurm-copy-to" : "--slurm-arg") + " applies to --slurm, which is "
                    + "not given");
        }
        if (slurmCopyTo != null && !slurmCopyTo.isAbsolute()) {
            throw usage("--slurm-copy-to must be an absolute path, the same on every node, not '" + slurmCopyTo + "'");
        }
        if (slurm) {
            return slurmCopyTo == null ? new SlurmLauncher(wanted, slurmArgs, System.getenv(), notices)
                    : new SlurmLauncher(wanted, slurmArgs, System.getenv(), notices, slurmCopyTo);
        }
        if (hosts.isEmpty()) {
            return null;
        }
        List<HostSlots> entries = new ArrayList<>();
        for (String entry : hosts) {
            if (entry.isBlank()) {
                throw usage("--hosts has an empty entry: give DEST[:N],DEST[:N]...");
            }
            try {
                entries.add(HostSlots.parse(entry));
            } catch (IllegalArgumentException e) {
                throw usage("--hosts " + e.getMessage());
            }
        }
        return new HostsLauncher(entries, sshArgs, remoteJava == null ? "java" : remoteJava, notices,
                heartbeatTimeout);
    }

    /** Whether this process runs inside a Slurm allocation, where {@code --slurm} takes its worker count. */
    public boolean insideSlurmAllocation() {
        return slurm && SlurmLauncher.insideAllocation(System.getenv());
    }

    /** Whether {@code --slurm} is given outside an allocation, so that it asks Slurm for one. */
    public boolean requestsSlurmAllocation() {
        return slurm && !SlurmLauncher.insideAllocation(System.getenv());
    }

    private ParameterException usage(String message) {
        return new ParameterException(command.commandLine(), message);
    }
}
