package dev.procpool.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;

/**
 * A real SSH server on 127.0.0.1 that stands for one remote host in tests, reached with the system {@code ssh} client
 * (see {@link SshClientConfig}); thread-safe, MINA serves connections on its own threads.
 *
 * <p>Each fixture has its own host key, its own client key pair (the only one it accepts, for the current user name,
 * with no password authentication) and its own home directory: commands run there, with {@code HOME} set to it, so
 * two fixtures look like two hosts with separate disks. A command runs as {@code /bin/sh -c <command string>}, which
 * re-parses the string as a login shell would (see {@link LocalProcessCommand} for how its streams behave). Any
 * number of sessions share one connection, so OpenSSH's ControlMaster multiplexing works.
 *
 * <p>{@link #stop()} drops every connection at once, like a host that is lost; {@link #close()} also kills whatever
 * the commands left running and deletes the fixture's files.
 */
public final class SshServerFixture implements AutoCloseable {

    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final SshServer server;
    private final Path directory;
    private final Path home;
    private final Path identityFile;
    private final Queue<Process> started = new ConcurrentLinkedQueue<>();
    private final Queue<String> commands = new ConcurrentLinkedQueue<>();

    private SshServerFixture(Path directory, String path) throws IOException, GeneralSecurityException {
        this.directory = directory;
        this.home = Files.createDirectory(directory.resolve("home"));
        this.identityFile = directory.resolve("id_ecdsa");
        KeyPair clientKey = newKeyPair();
        writePrivateKey(clientKey, identityFile);

        String user = user();
        Map<String, String> environment = Map.of(
                "HOME", home.toString(),
                "USER", user,
                "LOGNAME", user,
                "SHELL", "/bin/sh",
                "PATH", path);

        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(newKeyPair()));
        server.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setPublickeyAuthenticator(
                (name, key, session) -> name.equals(user) && KeyUtils.compareKeys(clientKey.getPublic(), key));
        server.setCommandFactory(
                (channel, command) -> {
                    commands.add(command);
                    return new LocalProcessCommand(command, home, environment, started::add);
                });
        // sshd has neither limit: MINA closes idle connections after 10 min and fails a write that waits 30 s for
        // the client to read. Its channels per connection are unlimited already (sshd's MaxSessions is 10).
        CoreModuleProperties.IDLE_TIMEOUT.set(server, Duration.ZERO);
        CoreModuleProperties.WAIT_FOR_SPACE_TIMEOUT.set(server, Duration.ofDays(1));
        server.start();
    }

    /** Starts a server on a free port of 127.0.0.1, with fresh keys and an empty home in a new temp directory. */
    public static SshServerFixture start() throws IOException {
        return start(List.of());
    }

    /**
     * Starts a server as {@link #start()} does, whose commands find programs in {@code pathFirst} before this JVM's
     * {@code PATH}: a host whose {@code java} is another one.
     */
    public static SshServerFixture start(List<Path> pathFirst) throws IOException {
        List<String> path = new ArrayList<>();
        pathFirst.forEach(directory -> path.add(directory.toString()));
        path.add(System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        Path directory = Files.createTempDirectory("procpool-sshd-");
        try {
            return new SshServerFixture(directory, String.join(File.pathSeparator, path));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            IOException failure = new IOException("could not start an SSH server in " + directory + ": " + e, e);
            deleteRecursively(directory, failure);
            throw failure;
        }
    }

    /** The user name the server accepts: this JVM's user, as on a host where the user has an account. */
    public static String user() {
        return System.getProperty("user.name");
    }

    public int port() {
        return server.getPort();
    }

    /** The private key that logs in, an OpenSSH-format file readable by its owner only. */
    public Path identityFile() {
        return identityFile;
    }

    /** This host's disk: the working directory and {@code HOME} of every command. */
    public Path home() {
        return home;
    }

    /** How many SSH connections are open now (a multiplexed ControlMaster connection counts once). */
    public int connectionCount() {
        return server.getActiveSessions().size();
    }

    /** Every command string this server was asked to run, in order. */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    /** The exit statuses of the processes commands started that have ended, in start order. */
    public List<Integer> exitStatuses() {
        return started.stream().filter(process -> !process.isAlive()).map(Process::exitValue).toList();
    }

    /** Every process a command started, alive or not, in start order (their own children are not listed). */
    public List<ProcessHandle> startedProcesses() {
        return started.stream().map(Process::toHandle).toList();
    }

    /**
     * Drops every connection at once and stops listening, like a host that is lost: clients see their connection
     * closed, and every command's stdin ends. Commands are not killed. Idempotent.
     */
    public void stop() throws IOException {
        server.stop(true);
    }

    /**
     * Stops the server, kills every process the commands started and their descendants, and deletes the files.
     * Idempotent.
     */
    @Override
    public void close() throws IOException {
        IOException failure = new IOException("could not clean up the SSH server on port " + port());
        try {
            stop();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
        killLeftovers(failure);
        deleteRecursively(directory, failure);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    private void killLeftovers(IOException failure) {
        List<ProcessHandle> leftovers = new ArrayList<>();
        for (Process process : started) {
            // Descendants first, while the parent still links to them.
            process.descendants().forEach(leftovers::add);
            leftovers.add(process.toHandle());
        }
        leftovers.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle leftover : leftovers) {
            try {
                leftover.onExit().get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure.addSuppressed(e);
                return;
            } catch (Exception e) {
                failure.addSuppressed(new IOException("process " + leftover.pid() + " still runs "
                        + KILL_WAIT.toSeconds() + " s after SIGKILL", e));
            }
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        // ECDSA P-256: the JDK, MINA and OpenSSH all handle it with no extra provider, and it is generated quickly.
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static void writePrivateKey(KeyPair key, Path file) throws IOException, GeneralSecurityException {
        // Created 0600 from the start: ssh refuses a key that others can read.
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "procpool-test", null, out);
        }
    }

    private static void deleteRecursively(Path directory, IOException failure) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            failure.addSuppressed(e);
        }
    }
}
