package dev.procpool.testing;

import dev.procpool.spi.HostSlots;
import dev.procpool.spi.HostsLauncher;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A set of {@link SshServerFixture}s that stand for remote hosts, named by aliases in one {@code ssh -F} client
 * configuration, with perhaps aliases that lead nowhere (a closed port); what the SSH launcher's tests run against.
 * Built once, then read from any thread; {@link #close()} stops every server and kills what their commands left.
 */
public final class SshHosts implements AutoCloseable {

    private final Map<String, SshServerFixture> hosts;
    private final Path config;

    private SshHosts(Map<String, SshServerFixture> hosts, Path config) {
        this.hosts = hosts;
        this.config = config;
    }

    /** A set of hosts whose client configuration goes in {@code directory}. */
    public static Builder in(Path directory) {
        return new Builder(directory);
    }

    /** The Java the hosts should run workers with: this JVM's own, which is recent enough. */
    public static String remoteJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The client configuration that names every host; {@code ssh -F} takes it. */
    public Path config() {
        return config;
    }

    /** The arguments every {@code ssh} needs to find the hosts: {@code -F CONFIG}. */
    public List<String> sshArgs() {
        return List.of("-F", config.toString());
    }

    /** The server behind {@code alias}. */
    public SshServerFixture host(String alias) {
        SshServerFixture host = hosts.get(alias);
        if (host == null) {
            throw new IllegalArgumentException("no server behind " + alias + "; there are " + hosts.keySet());
        }
        return host;
    }

    /** A launcher for {@code entries} ({@code alias:N}), with {@link #remoteJava()}, telling its notices to {@code notices}. */
    public HostsLauncher launcher(Consumer<String> notices, String... entries) {
        return launcher(remoteJava(), notices, entries);
    }

    /** A launcher for {@code entries} ({@code alias:N}) that runs {@code java} there. */
    public HostsLauncher launcher(String java, Consumer<String> notices, String... entries) {
        List<HostSlots> slots = Arrays.stream(entries).map(HostSlots::parse).toList();
        return new HostsLauncher(slots, sshArgs(), java, notices);
    }

    /** Every process the servers' commands started, alive or not. */
    public List<ProcessHandle> remoteProcesses() {
        List<ProcessHandle> processes = new ArrayList<>();
        hosts.values().forEach(host -> processes.addAll(host.startedProcesses()));
        return processes;
    }

    /** The {@code ssh} clients alive now that use this configuration: connections, sessions, masters. */
    public List<ProcessHandle> sshClients() {
        String file = config.toString();
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().command().map(command -> command.endsWith("/ssh")).orElse(false))
                .filter(process -> Arrays.asList(process.info().arguments().orElse(new String[0])).contains(file))
                .filter(Processes::running)
                .toList();
    }

    /** Stops every server and kills whatever their commands left running. */
    @Override
    public void close() throws IOException {
        IOException failure = new IOException("could not clean up the SSH hosts " + hosts.keySet());
        for (SshServerFixture host : hosts.values()) {
            try {
                host.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    /** Which hosts to start and how to name them. Not thread-safe. */
    public static final class Builder {

        private final Path directory;
        /** Per alias: the directories its PATH starts with, or empty for a port where nothing listens. */
        private final Map<String, Optional<List<Path>>> aliases = new LinkedHashMap<>();

        private Builder(Path directory) {
            this.directory = directory;
        }

        /** A host named {@code alias}. */
        public Builder host(String alias) {
            return host(alias, List.of());
        }

        /** A host named {@code alias} whose commands look for programs in {@code pathFirst} first. */
        public Builder host(String alias, List<Path> pathFirst) {
            aliases.put(alias, Optional.of(pathFirst));
            return this;
        }

        /** An alias for a port of 127.0.0.1 where nothing listens: a host that cannot be reached. */
        public Builder closedPort(String alias) {
            aliases.put(alias, Optional.empty());
            return this;
        }

        /** Starts the servers and writes the configuration. */
        public SshHosts start() throws IOException {
            Map<String, SshServerFixture> hosts = new LinkedHashMap<>();
            StringBuilder config = new StringBuilder();
            try {
                for (var alias : aliases.entrySet()) {
                    if (alias.getValue().isPresent()) {
                        SshServerFixture host = SshServerFixture.start(alias.getValue().get());
                        hosts.put(alias.getKey(), host);
                        config.append(SshClientConfig.hostBlock(alias.getKey(), host));
                    }
                }
                Path anyKey = hosts.isEmpty() ? directory.resolve("no-key") : hosts.values().iterator().next()
                        .identityFile();
                for (var alias : aliases.entrySet()) {
                    if (alias.getValue().isEmpty()) {
                        config.append(SshClientConfig.hostBlock(alias.getKey(), closedPort(), anyKey));
                    }
                }
                Path file = SshClientConfig.write(directory.resolve("ssh.conf"), config.toString());
                return new SshHosts(hosts, file);
            } catch (IOException | RuntimeException e) {
                new SshHosts(hosts, null).closeQuietly(e);
                throw e;
            }
        }

        /** A port of 127.0.0.1 that was free a moment ago: nothing listens there now. */
        private static int closedPort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }
    }

    private void closeQuietly(Exception primary) {
        try {
            close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }
}
