package dev.procpool.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A host reached over SSH, prepared for workers: its connection open, its Java checked (25 or later), its core count
 * known, and the workers' class path copied into a cache there ({@code ~/.cache/procpool/files/HASH/NAME}, by
 * content hash, so a file already there is not sent again). Its workers run through that connection. Thread-safe.
 */
final class SshHost extends HostsLauncher.Host {

    /** Where copied files go on the host, relative to the home directory a command starts in. */
    static final String CACHE = ".cache/procpool/files";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern JAVA_VERSION = Pattern.compile("version \"(1\\.)?(\\d+)");

    private final SshConnection connection;
    private final String java;
    private final List<String> classpath;
    private final Consumer<String> started;

    private SshHost(String name, int slots, SshConnection connection, String java, List<String> classpath,
            Consumer<String> started) {
        super(name, slots);
        this.connection = connection;
        this.java = java;
        this.classpath = List.copyOf(classpath);
        this.started = started;
    }

    /**
     * Connects to the entry's destination, checks its Java, counts its cores if needed, and copies the class path of
     * {@code template} there.
     *
     * @param started told the host's name each time one of its workers has said hello
     * @throws IOException saying, in one line, why the host cannot be used and what to do
     */
    static SshHost prepare(HostSlots entry, List<String> sshArgs, String remoteJava, Path socket,
            WorkerCommand template, Consumer<String> started) throws IOException {
        String destination = entry.destination();
        SshConnection connection;
        try {
            connection = SshConnection.open(destination, sshArgs, socket);
        } catch (IOException e) {
            throw new IOException("cannot connect: " + e.getMessage() + "; check that 'ssh " + destination
                    + "' works without a password (keys or an agent), or pass --ssh-arg");
        }
        try {
            SshConnection.Result probe = connection.run("getconf _NPROCESSORS_ONLN 2>/dev/null || nproc; "
                    + RemoteShell.quote(remoteJava) + " -version 2>&1 | head -n 1", null, PROBE_TIMEOUT);
            List<String> lines = probe.stdout().lines().map(String::strip).toList();
            int cores = lines.isEmpty() ? 0 : parseCores(lines.get(0));
            String version = lines.size() > 1 ? lines.get(1) : "";
            int release = javaRelease(version);
            if (release < 25) {
                throw new IOException((release == 0 ? "'" + remoteJava + "' does not run there"
                        + (version.isEmpty() ? "" : " (" + version + ")")
                        : "'" + remoteJava + "' there is Java " + release) + "; procpool needs Java 25 or later: install "
                        + "one there, or name it with --remote-java=PATH");
            }
            int slots = entry.workers() > 0 ? entry.workers() : Math.max(1, cores);
            List<String> remoteClasspath = copyClasspath(connection, template.classpath());
            return new SshHost(destination, slots, connection, remoteJava, remoteClasspath, started);
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    @Override
    LaunchedWorker launch(WorkerCommand command) throws IOException {
        // A start-up cache made here is of no use there (another disk, perhaps another JVM): its flag goes.
        List<String> options = command.jvmOptions().stream().filter(option -> !option.startsWith("-XX:AOTCache="))
                .toList();
        List<String> there = command.withJvmOptions(options).toIsolatedList(java, classpath);
        Process process = new ProcessBuilder(connection.command("exec " + RemoteShell.command(there))).start();
        return new SshWorker(process, name());
    }

    @Override
    void close() {
        connection.close();
    }

    /**
     * A worker behind a local {@code ssh} process. Killing it kills the {@code ssh} (the worker's stdin then ends, and
     * it halts) and, once the worker has said which process it is, that process and its children on the host too:
     * a worker that is stopped or frozen reads nothing.
     */
    private final class SshWorker extends LocalWorker {
        private volatile long remotePid = -1;

        SshWorker(Process process, String host) {
            super(process, host);
        }

        @Override
        public void identified(long workerPid, String workerHost) {
            remotePid = workerPid;
            started.accept(name());
        }

        @Override
        public void kill() {
            super.kill();
            long pid = remotePid;
            if (pid > 0) {
                Daemons.run("procpool-ssh-kill", () -> {
                    try {
                        connection.run("pkill -KILL -P " + pid + " 2>/dev/null; kill -KILL " + pid + " 2>/dev/null",
                                null, KILL_TIMEOUT);
                    } catch (IOException e) {
                        // The connection is gone too: the worker's stdin has ended, and it halts by itself.
                    }
                });
            }
        }
    }

    /** The class path's files on the host: each file there by the hash of its content, copied only if missing. */
    private static List<String> copyClasspath(SshConnection connection, List<Path> classpath) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path entry : classpath) {
            files.add(Files.isDirectory(entry) ? jarOf(entry) : entry);
        }
        List<String> remote = new ArrayList<>();
        for (Path file : files) {
            remote.add(CACHE + "/" + sha256(file).substring(0, 32) + "/" + file.getFileName());
        }
        StringBuilder check = new StringBuilder();
        for (String path : remote) {
            check.append("test -f ").append(RemoteShell.quote(path)).append(" || echo ").append(RemoteShell.quote(path))
                    .append("; ");
        }
        SshConnection.Result missing = connection.run(check.toString(), null, PROBE_TIMEOUT);
        List<String> toCopy = missing.stdout().lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        for (int i = 0; i < files.size(); i++) {
            String path = remote.get(i);
            if (toCopy.contains(path)) {
                String directory = path.substring(0, path.lastIndexOf('/'));
                String partial = path + ".part";
                SshConnection.Result copied = connection.run("mkdir -p " + RemoteShell.quote(directory) + " && cat > "
                        + RemoteShell.quote(partial) + " && mv -f " + RemoteShell.quote(partial) + " "
                        + RemoteShell.quote(path), files.get(i), HostsLauncher.PREPARE_TIMEOUT);
                if (copied.status() != 0) {
                    throw new IOException("cannot copy " + files.get(i).getFileName() + " there: " + copied.complaint());
                }
            }
        }
        return remote;
    }

    /** A class directory packed as a jar, for the trip: a temporary file, deleted when this JVM exits. */
    private static Path jarOf(Path directory) throws IOException {
        Path jar = Files.createTempFile("procpool-classes-", ".jar");
        jar.toFile().deleteOnExit();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> walk = Files.walk(directory)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                JarEntry entry = new JarEntry(directory.relativize(file).toString().replace('\\', '/'));
                entry.setTime(0); // the same classes give the same jar, and so the same hash
                out.putNextEntry(entry);
                try (InputStream in = Files.newInputStream(file)) {
                    in.transferTo((OutputStream) out);
                }
                out.closeEntry();
            }
        }
        return jar;
    }

    private static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                int read;
                while ((read = in.read(buffer)) > 0) {
                    digest.update(buffer, 0, read);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
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
