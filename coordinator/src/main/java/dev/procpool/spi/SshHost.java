package dev.procpool.spi;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host reached over SSH, prepared for workers: its connection open, its Java checked (25 or later), its core count
 * known, and the workers' class path in its cache (see {@link RemoteClasspath}). Its workers run through that
 * connection. Thread-safe.
 */
final class SshHost extends HostsLauncher.Host {

    /** The Java release workers need. */
    static final int JAVA_RELEASE = 25;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);
    /** A pool's heartbeat timeout unless it is given another: how long a kill may go unanswered by default. */
    static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern JAVA_VERSION = Pattern.compile("version \"(1\\.)?(\\d+)");
    /** Between the core count and {@code java -version}'s words in the probe's output. */
    private static final String PROBE_SEPARATOR = "--procpool--";
    /** The probe's first line: anything before it was said by the login shell itself. */
    private static final String PROBE_START = "--procpool-probe--";

    private final SshConnection connection;
    private final String java;
    private final Consumer<String> started;
    /** How long a kill sent there may go unanswered before the connection counts as dead: the pool's heartbeat timeout. */
    private final Duration killTimeout;
    /** The kills sent there that have not ended yet. */
    private final Set<CompletableFuture<Void>> kills = ConcurrentHashMap.newKeySet();
    /** The workers launched there and not yet ended. */
    private final Set<SshWorker> running = ConcurrentHashMap.newKeySet();
    /** Each class path copied there (as it is here), and its files there. */
    private final Map<List<Path>, List<String>> classpaths = new ConcurrentHashMap<>();

    private SshHost(String name, int slots, SshConnection connection, String java, Duration killTimeout,
            Consumer<String> started) {
        super(name, slots);
        this.killTimeout = killTimeout;
        this.connection = connection;
        this.java = java;
        this.started = started;
        // A worker's ssh whose session the lost master was opening may go on to connect by itself: the host is given
        // up, so nothing more runs there.
        connection.lost().thenAccept(why -> running.forEach(worker -> worker.killAsLost(why)));
    }

    /**
     * Connects to the entry's destination, checks its Java, counts its cores if needed, and copies {@code classpath}
     * there.
     *
     * @param killTimeout how long a kill sent there may go unanswered before the connection counts as dead
     * @param opened told of the host's connection as soon as it is being opened, so that it can be closed meanwhile
     *     (which makes this fail)
     * @param started told the host's name each time one of its workers has said hello
     * @throws IOException saying, in one line, why the host cannot be used and what to do
     */
    static SshHost prepare(HostSlots entry, List<String> sshArgs, String remoteJava, Path socket,
            List<Path> classpath, RemoteClasspath packed, Duration killTimeout, Consumer<SshConnection> opened,
            Consumer<String> started) throws IOException {
        String destination = entry.destination();
        SshConnection connection;
        try {
            connection = SshConnection.open(destination, sshArgs, socket, opened);
        } catch (IOException e) {
            List<String> tryThis = new ArrayList<>(List.of("ssh"));
            tryThis.addAll(sshArgs);
            tryThis.addAll(List.of(destination, "true"));
            throw new IOException("cannot connect: " + e.getMessage() + "; check that '" + String.join(" ", tryThis)
                    + "' works from here without a password or a prompt (keys or an agent)");
        }
        try {
            ShortCommand.Result probe = connection.run("echo " + PROBE_START + "; getconf _NPROCESSORS_ONLN "
                    + "2>/dev/null || nproc; echo " + PROBE_SEPARATOR + "; " + RemoteShell.quote(remoteJava)
                    + " -version 2>&1", null, PROBE_TIMEOUT);
            List<String> lines = probe.stdout().lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
            int start = lines.indexOf(PROBE_START);
            if (start > 0) {
                // Said before the command ran: it would precede, and corrupt, every worker's protocol stream.
                throw new IOException("its login shell prints '" + lines.get(0) + "' on stdout for commands run over "
                        + "ssh, which would corrupt the workers' protocol: make it print only in interactive shells "
                        + "(in ~/.bashrc, after a check such as [ -n \"$PS1\" ] || return)");
            }
            int separator = lines.indexOf(PROBE_SEPARATOR);
            int cores = separator > start + 1 ? parseCores(lines.get(separator - 1)) : 0;
            checkJava(remoteJava, separator < 0 ? List.of() : lines.subList(separator + 1, lines.size()));
            int slots = entry.workers() > 0 ? entry.workers() : Math.max(1, cores);
            SshHost host = new SshHost(destination, slots, connection, remoteJava, killTimeout, started);
            host.copy(classpath, packed);
            return host;
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** Whether its workers can have {@code classpath}: it was copied there. */
    @Override
    boolean has(List<Path> classpath) {
        return classpaths.containsKey(classpath);
    }

    /**
     * Copies {@code classpath}, packed as {@code packed}, into the host's cache where it is not there yet.
     *
     * @throws IOException saying which file could not be copied
     */
    @Override
    void copy(List<Path> classpath, RemoteClasspath packed) throws IOException {
        packed.copyTo(connection, HostsLauncher.PREPARE_TIMEOUT);
        classpaths.put(List.copyOf(classpath), packed.remotePaths());
    }

    /** Whether {@code java -version}'s words say Java {@value #JAVA_RELEASE} or later; if not, why not and what to do. */
    private static void checkJava(String remoteJava, List<String> versionOutput) throws IOException {
        int release = 0;
        for (String line : versionOutput) {
            release = javaRelease(line);
            if (release > 0) {
                break;
            }
        }
        if (release >= JAVA_RELEASE) {
            return;
        }
        String found = release > 0 ? "'" + remoteJava + "' there is Java " + release
                : "'" + remoteJava + "' does not run there" + (versionOutput.isEmpty() ? ""
                        : " (" + versionOutput.get(versionOutput.size() - 1) + ")");
        throw new IOException(found + "; procpool needs Java " + JAVA_RELEASE + " or later: install one there, or "
                + "name it with --remote-java=PATH");
    }

    @Override
    LaunchedWorker launch(WorkerCommand command) throws IOException {
        if (!connection.isOpen()) {
            throw new IOException("the connection to " + name() + " is closed");
        }
        List<String> classpath = classpaths.get(command.classpath());
        if (classpath == null) {
            throw new IllegalStateException("the class path " + command.classpath() + " was not copied to "
                    + name() + ": prepare() with it first");
        }
        // A start-up cache made here is of no use there (another disk, perhaps another JVM): its flag goes.
        List<String> options = command.jvmOptions().stream().filter(option -> !option.startsWith("-XX:AOTCache="))
                .toList();
        String there = RemoteBabysitter.workerCommand(connection.workersDirectory(), killTimeout.dividedBy(2),
                command.withJvmOptions(options), java, classpath);
        Process process = TiedProcess.start(new ProcessBuilder(connection.command(there)),
                TiedProcess.DeathSignal.KILL);
        SshWorker worker = new SshWorker(process, name());
        running.add(worker);
        worker.onExit().whenComplete((status, error) -> running.remove(worker));
        if (!connection.isOpen()) {
            worker.kill(); // the connection was lost as it started: see the constructor
        }
        return worker;
    }

    @Override
    CompletableFuture<String> lost() {
        return connection.lost();
    }

    /**
     * Closes the connection, once the kills sent through it have ended (at most the kill timeout): closing it
     * first would cut a kill on its way to a frozen worker, which reads no end of stdin.
     */
    @Override
    void close() {
        try {
            CompletableFuture.allOf(kills.toArray(CompletableFuture[]::new))
                    .get(killTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // A kill that did not end in time abandons the connection itself: closing it is all that is left.
        }
        connection.close();
    }

    /**
     * A worker behind a local {@code ssh} process. Killing it kills the {@code ssh} (the worker's stdin then ends, and
     * it halts) and, once the worker has said which process it is, its process group on the host too (its own while it
     * runs, see {@link RemoteBabysitter#KILL}): a worker that is stopped or frozen reads nothing. The same kill is sent
     * there when the {@code ssh} ends without the pool's asking and not with status 0 (killed by hand, say): the worker
     * it leaves there may be one that reads nothing. A kill that gets no answer means the connection itself is dead (a
     * link gone half-open): it is abandoned, which ends every session on it, and the launcher drops the host.
     */
    private final class SshWorker extends LocalWorker {
        /** The status {@code ssh} exits with for itself: its connection failed, or the remote command was killed. */
        private static final int SSH_OWN_STATUS = 255;

        private volatile long remotePid = -1;
        /** Why its connection was lost, if the launcher killed it for that; null otherwise. */
        private volatile String connectionLost;
        private final AtomicBoolean killSentThere = new AtomicBoolean();

        SshWorker(Process process, String host) {
            super(process, host);
            onExit().thenAccept(status -> {
                if (status != 0) {
                    killThere();
                }
            });
        }

        @Override
        public void identified(long workerPid, String workerHost) {
            remotePid = workerPid;
            started.accept(name());
        }

        /** Nothing to note here: the local process is {@code ssh}, and the worker ends its own children there. */
        @Override
        public void recordDescendants() {
        }

        /**
         * A worker the launcher killed because its connection was lost ended for that. Otherwise a status from 129 to
         * 159 is not the worker's: the worker killed by a signal there makes {@code ssh} exit 255 (its shell passes the
         * signal on), so it is {@code ssh} itself, here, that a signal killed; and 255 has several causes.
         */
        @Override
        public Optional<String> describeExit(int status) {
            String lost = connectionLost;
            if (lost != null) {
                return Optional.of("was killed: the connection to its host was lost (" + lost + "; exit status "
                        + status + ")");
            }
            if (status > 128 && status < 128 + 32) {
                return Optional.of("lost its ssh client, which was killed on this machine by signal " + (status - 128)
                        + " (exit status " + status + ")");
            }
            if (status == SSH_OWN_STATUS) {
                return Optional.of("lost its ssh session (exit status 255: the connection failed, ssh was ended on "
                        + "this machine, or the worker was killed by a signal there)");
            }
            return Optional.empty();
        }

        /** Kills it for its connection's loss, which its end is then put down to. */
        void killAsLost(String why) {
            connectionLost = why;
            kill();
        }

        @Override
        public void kill() {
            super.kill();
            killThere();
        }

        /** Kills the worker's process group on the host, once, if the worker said which it is and the link is up. */
        private void killThere() {
            long pid = remotePid;
            if (pid <= 0 || !connection.isOpen() || !killSentThere.compareAndSet(false, true)) {
                return;
            }
            CompletableFuture<Void> sent = Daemons.run("procpool-ssh-kill", () -> {
                try {
                    connection.run(RemoteBabysitter.killCommand(connection.workersDirectory(), pid), null,
                            killTimeout);
                } catch (ShortCommand.TimedOut e) {
                    // A kill takes milliseconds: a link that carries no answer for this long is dead (half-open),
                    // and ssh's own keep-alives would take longer to say so. Its workers' streams end with it.
                    connection.abandon("it stopped answering: a kill sent there got no answer within "
                            + killTimeout.toMillis() + " ms, the pool's heartbeat timeout");
                } catch (IOException e) {
                    // The connection is gone too: the worker's stdin has ended, and it halts by itself.
                }
            });
            kills.add(sent);
            sent.whenComplete((done, error) -> kills.remove(sent));
        }
    }

    private static int parseCores(String line) {
        try {
            return Integer.parseInt(line);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The feature release in a {@code java -version} first line ({@code openjdk version "25.0.3"}); 0 if none. */
    static int javaRelease(String versionLine) {
        Matcher matcher = JAVA_VERSION.matcher(versionLine);
        return matcher.find() ? Integer.parseInt(matcher.group(2)) : 0;
    }
}
