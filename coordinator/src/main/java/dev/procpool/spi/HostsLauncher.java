package dev.procpool.spi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Starts workers on several hosts: over SSH on each destination (one multiplexed connection per host, the worker
 * jar and class path copied there by content hash, the host's Java checked once), or here for {@code local}. Each
 * host runs as many workers as its entry says, or one per core; a new worker goes to the host with the most free
 * slots. A host that cannot be reached, or whose workers keep failing to start, is dropped for the rest of the run
 * with one notice, and the others carry on.
 *
 * <p>Thread-safe: {@link #prepare} runs before the first launch, one at a time, and does its network work outside
 * this launcher's lock; launches and the pool's reports come from any thread, under the lock where they touch its
 * books. The lock is never held while a host is asked something.
 */
public final class HostsLauncher implements WorkerLauncher {

    /** Failed starts in a row after which a host is dropped. */
    static final int MAX_FAILED_STARTS = 3;

    private final List<HostSlots> entries;
    private final List<String> sshArgs;
    private final String remoteJava;
    private final Consumer<String> notices;
    /** How long a kill sent to a host may go unanswered before its connection counts as dead. */
    private final Duration killTimeout;
    private final Object lock = new Object();
    /** Held by {@link #prepare} throughout, so that one runs at a time; nothing else takes it. */
    private final Object preparing = new Object();
    /** Guarded by {@code lock}; filled by {@link #prepare}. */
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    /** Guarded by {@code lock}: the connections {@link #prepare} is opening, not yet any host's. */
    private final Set<SshConnection> unprepared = new HashSet<>();
    /** Guarded by {@code lock}: the directory of the connections' sockets, made by the first prepare. */
    private Path sockets;
    /** Guarded by {@code lock}. */
    private boolean prepared;
    /** Guarded by {@code lock}. */
    private boolean closed;

    /**
     * @param entries where to run workers, and how many on each
     * @param sshArgs arguments for every {@code ssh} (such as {@code -F FILE}), before the destination
     * @param remoteJava the {@code java} to run on SSH hosts: a path there, or {@code java} on the remote PATH; it
     *     must be Java 25 or later
     * @param notices where the launcher says what it did about a host (one line each)
     * @see #HostsLauncher(List, List, String, Consumer, Duration)
     */
    public HostsLauncher(List<HostSlots> entries, List<String> sshArgs, String remoteJava,
            Consumer<String> notices) {
        this(entries, sshArgs, remoteJava, notices, SshHost.DEFAULT_HEARTBEAT_TIMEOUT);
    }

    /**
     * A launcher for a pool whose heartbeat timeout is not the default.
     *
     * @param heartbeatTimeout the pool's heartbeat timeout: a kill sent to a host that gets no answer for this long
     *     means the connection is dead (a link gone half-open), as a heartbeat unanswered for this long means a worker
     *     is; the host is then dropped
     * @see #HostsLauncher(List, List, String, Consumer)
     */
    public HostsLauncher(List<HostSlots> entries, List<String> sshArgs, String remoteJava,
            Consumer<String> notices, Duration heartbeatTimeout) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("no hosts given");
        }
        Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
        if (heartbeatTimeout.isNegative() || heartbeatTimeout.isZero()) {
            throw new IllegalArgumentException("heartbeatTimeout must be positive, was " + heartbeatTimeout);
        }
        this.entries = List.copyOf(entries);
        this.sshArgs = List.copyOf(sshArgs);
        this.remoteJava = Objects.requireNonNull(remoteJava, "remoteJava");
        this.notices = Objects.requireNonNull(notices, "notices");
        this.killTimeout = heartbeatTimeout;
    }

    /**
     * The first time: connects to every SSH host at once, checks its Java, asks its core count where the entry gives
     * none, and copies the class path there; a host where any of it fails is dropped, with one notice saying why. Later
     * (another pool on this launcher): copies the template's class path to the hosts in use, if it is another one. The
     * network work runs outside the launcher's lock: {@link #close} during it ends the connections being prepared,
     * and this then fails.
     *
     * @throws IOException if no host is left, or the launcher was closed meanwhile
     */
    @Override
    public void prepare(WorkerCommand template) throws IOException {
        synchronized (preparing) { // one prepare at a time; close() and launches never wait on this
            List<Path> classpath = template.classpath();
            List<Path> socketPaths = new ArrayList<>();
            List<Host> lacking;
            boolean first;
            synchronized (lock) {
                throwIfClosed();
                first = !prepared;
                prepared = true;
                if (first) {
                    for (int i = 0; i < entries.size(); i++) {
                        socketPaths.add(socketFor(i));
                    }
                }
                lacking = hosts.values().stream().filter(host -> !host.dropped && !host.has(classpath)).toList();
            }
            if (first) {
                boolean anySsh = entries.stream().anyMatch(entry -> !entry.isLocal());
                try (RemoteClasspath packed = RemoteClasspath.pack(anySsh ? classpath : List.of())) {
                    connectAll(classpath, packed, socketPaths);
                }
            } else if (!lacking.isEmpty()) {
                try (RemoteClasspath packed = RemoteClasspath.pack(classpath)) {
                    copyTo(lacking, classpath, packed);
                }
            }
            synchronized (lock) {
                throwIfClosed();
            }
            if (capacity() == 0) {
                throw new IOException("no host is left: every one was dropped");
            }
        }
    }

    /** Connects to the hosts and copies {@code classpath} to each, outside the lock; then keeps them, unless closed. */
    private void connectAll(List<Path> classpath, RemoteClasspath packed, List<Path> socketPaths) throws IOException {
        List<CompletableFuture<Host>> preparing = new ArrayList<>();
        for (HostSlots entry : entries) {
            if (entry.isLocal()) {
                int workers = entry.workers() > 0 ? entry.workers() : Runtime.getRuntime().availableProcessors();
                preparing.add(CompletableFuture.completedFuture(Host.local(workers)));
            } else {
                Path socket = socketPaths.get(preparing.size());
                preparing.add(Daemons.supply("procpool-ssh-prepare-" + entry.destination(), () -> {
                    try {
                        return SshHost.prepare(entry, sshArgs, remoteJava, socket, classpath, packed, killTimeout,
                                this::opening, this::started);
                    } catch (IOException e) {
                        throw new CompletionException(e);
                    }
                }));
            }
        }
        List<Host> ready = new ArrayList<>();
        Map<String, String> failures = new LinkedHashMap<>();
        for (int i = 0; i < preparing.size(); i++) {
            try {
                ready.add(preparing.get(i).join());
            } catch (CompletionException e) {
                String why = e.getCause() == null ? e.toString() : e.getCause().getMessage();
                failures.put(entries.get(i).destination(), why);
            }
        }
        List<Host> surplus = new ArrayList<>();
        synchronized (lock) {
            unprepared.clear(); // each one is now its host's, or closed with the host that failed
            if (closed) {
                surplus.addAll(ready);
            } else {
                for (Host host : ready) {
                    Host kept = hosts.merge(host.name(), host, Host::plus);
                    if (kept == host) {
                        host.lost().thenAccept(why -> drop(host, "its connection was lost (" + why + ")"));
                    } else {
                        surplus.add(host);
                    }
                }
            }
        }
        surplus.forEach(Host::close);
        synchronized (lock) {
            throwIfClosed();
        }
        if (ready.isEmpty()) {
            List<String> each = new ArrayList<>();
            failures.forEach((destination, why) -> each.add(destination + ": " + why));
            throw new IOException("no host could be used: " + String.join("; ", each));
        }
        // Said once each: when no host is left, the error above says it all.
        failures.forEach((destination, why) -> notices.accept("host " + destination + " is not used: " + why));
    }

    /** Keeps a connection being opened by {@link #prepare}, so that {@link #close} can end it; ends it if closed. */
    private void opening(SshConnection connection) {
        synchronized (lock) {
            if (!closed) {
                unprepared.add(connection);
                return;
            }
        }
        connection.close();
    }

    /** Copies another class path to {@code lacking}, outside the lock, dropping each host where it fails. */
    private void copyTo(List<Host> lacking, List<Path> classpath, RemoteClasspath packed) {
        Map<Host, CompletableFuture<Void>> copying = new LinkedHashMap<>();
        for (Host host : lacking) {
            copying.put(host, Daemons.run("procpool-ssh-copy-" + host.name(), () -> {
                try {
                    host.copy(classpath, packed);
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            }));
        }
        copying.forEach((host, copy) -> {
            try {
                copy.join();
            } catch (CompletionException e) {
                drop(host, e.getCause() == null ? e.toString() : e.getCause().getMessage());
            }
        });
    }

    /** Under the lock. */
    private void throwIfClosed() throws IOException {
        if (closed) {
            throw new IOException("the hosts launcher was closed before its workers could start");
        }
    }

    /** Under the lock. */
    private Path socketFor(int index) throws IOException {
        if (sockets == null) {
            sockets = SocketDirectory.create();
        }
        return sockets.resolve("h" + index);
    }

    /** The workers of every host still in use. */
    @Override
    public int capacity() {
        synchronized (lock) {
            int capacity = 0;
            for (Host host : hosts.values()) {
                if (!host.dropped) {
                    capacity += host.slots;
                }
            }
            return capacity;
        }
    }

    /** How many workers each host in use runs, in the order given: where a pool's workers go. */
    public Map<String, Integer> slots() {
        synchronized (lock) {
            Map<String, Integer> slots = new LinkedHashMap<>();
            hosts.values().stream().filter(host -> !host.dropped).forEach(host -> slots.put(host.name(), host.slots));
            return slots;
        }
    }

    @Override
    public LaunchedWorker launch(WorkerCommand command) throws IOException {
        Host host;
        synchronized (lock) {
            if (!prepared) {
                throw new IllegalStateException("prepare() first");
            }
            host = hosts.values().stream().filter(h -> !h.dropped)
                    .max((a, b) -> Integer.compare(a.slots - a.live, b.slots - b.live)).orElse(null);
            if (host == null || host.slots - host.live <= 0) {
                throw new IOException("no host has a free slot: " + (host == null ? "every host was dropped"
                        : "all " + capacity() + " are taken"));
            }
            host.live++;
        }
        try {
            Host placed = host;
            // The pool hears of the end only once the slot is free again: its replacement finds room.
            return new CountedWorker(host.launch(command), () -> {
                synchronized (lock) {
                    placed.live--;
                }
            });
        } catch (IOException | RuntimeException e) {
            synchronized (lock) {
                host.live--;
                countFailedStart(host, "worker " + command.workerId() + " could not be launched there: "
                        + e.getMessage());
            }
            throw e;
        }
    }

    /** Counts a worker's failed start against its host, and drops a host whose starts keep failing. */
    @Override
    public void failedToStart(LaunchedWorker worker, String reason) {
        synchronized (lock) {
            Host host = hosts.get(worker.host());
            if (host != null) {
                countFailedStart(host, reason);
            }
        }
    }

    /** Under the lock. */
    private void countFailedStart(Host host, String reason) {
        if (++host.failedStarts >= MAX_FAILED_STARTS) {
            drop(host, "its last " + MAX_FAILED_STARTS + " workers could not start; the last: " + reason);
        }
    }

    /** Stops using {@code host} for the rest of the run, saying why in one line; once. */
    private void drop(Host host, String why) {
        synchronized (lock) {
            if (host.dropped || closed) {
                return;
            }
            host.dropped = true;
            notices.accept("host " + host.name() + " dropped for the rest of the run: " + why.replace('\n', ' '));
        }
    }

    /** Called once a worker has said hello: its host works again. */
    void started(String hostName) {
        synchronized (lock) {
            Host host = hosts.get(hostName);
            if (host != null) {
                host.failedStarts = 0;
            }
        }
    }

    /** Closes every host's connection, and those {@link #prepare} is opening. Idempotent. */
    @Override
    public void close() {
        List<Host> closing;
        List<SshConnection> opened;
        Path socketDirectory;
        synchronized (lock) {
            closed = true;
            closing = new ArrayList<>(hosts.values());
            opened = new ArrayList<>(unprepared);
            unprepared.clear();
            socketDirectory = sockets;
        }
        opened.forEach(SshConnection::close);
        closing.forEach(Host::close);
        if (socketDirectory != null) {
            try (var files = Files.list(socketDirectory)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
                Files.deleteIfExists(socketDirectory);
            } catch (IOException e) {
                // Sockets of closed connections in /tmp: nothing holds them.
            }
        }
    }

    /** {@code hosts alpha:2, beta}: the entries as given. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("hosts ");
        for (HostSlots entry : entries) {
            text.append(text.length() > "hosts ".length() ? ", " : "").append(entry.destination())
                    .append(entry.workers() > 0 ? ":" + entry.workers() : "");
        }
        return text.toString();
    }

    /** A host's books and how to start a worker there. Its counts are guarded by the launcher's lock. */
    abstract static class Host {
        private final String name;
        int slots;
        int live;
        int failedStarts;
        boolean dropped;

        Host(String name, int slots) {
            this.name = name;
            this.slots = slots;
        }

        /** This machine: workers started as for {@link WorkerLauncher#local()}, named {@code localhost}. */
        static Host local(int slots) {
            return new Host("localhost", slots) {
                @Override
                LaunchedWorker launch(WorkerCommand command) throws IOException {
                    return LocalLauncher.INSTANCE.launch(command);
                }

                @Override
                void close() {
                }
            };
        }

        String name() {
            return name;
        }

        /** Whether its workers can have {@code classpath}: here, always; elsewhere, once it was copied there. */
        boolean has(List<Path> classpath) {
            return true;
        }

        /** Copies {@code classpath}, packed as {@code packed}, where its workers run; here, nothing to do. */
        void copy(List<Path> classpath, RemoteClasspath packed) throws IOException {
        }

        /** Completes, saying why, if the host can no longer be reached; here, never. */
        CompletableFuture<String> lost() {
            return new CompletableFuture<>();
        }

        /** Two entries for the same host: their slots add up; {@code other} is not used, and its caller closes it. */
        Host plus(Host other) {
            slots += other.slots;
            return this;
        }

        abstract LaunchedWorker launch(WorkerCommand command) throws IOException;

        abstract void close();
    }

    /** How long a command that prepares a host may take: a copy of the class path is the longest. */
    static final Duration PREPARE_TIMEOUT = Duration.ofMinutes(2);
}
