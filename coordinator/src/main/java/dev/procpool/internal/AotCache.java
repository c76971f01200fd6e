package dev.procpool.internal;

import dev.procpool.WorkerStartException;
import dev.procpool.protocol.Fnv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The workers' AOT cache (JDK 25, JEP 483 and 515): the classes a worker loads and links on its way to its
 * handshake, already loaded and linked, and the profiles of the methods it runs there, mapped from one file
 * instead of read from the jars, verified and linked by every worker again. Stateless; safe to use from several
 * coordinators at once.
 *
 * <p>The cache is made on first use, by one training run of the worker ({@code --train}) with
 * {@code -XX:AOTCacheOutput}, under a file lock so only one process makes it, and renamed into place atomically so
 * nobody sees half of it. Its name carries a hash of everything it depends on (the JVM's build, the path, size and
 * modification time of procpool's jars that the workers' class path starts with, the workers' JVM flags and the JVM
 * options the environment adds), so a rebuilt jar or another JDK gets a new cache instead of a stale one. That name is all that keeps a stale cache away from a
 * changed jar on JDK 25.0.3, which maps a cache made from another jar at the same path without a word and runs the
 * old classes (fixed in 25.0.4). A cache the JVM refuses anyway costs the workers their speed, never their run:
 * see {@link AotCacheRefusal}. Each use marks a cache as recent, and a directory keeps the {@value #KEEP} most
 * recently used.
 */
public final class AotCache {

    private static final long TRAINING_TIMEOUT_SECONDS = 60;
    /**
     * Caches kept in one directory, the most recently used: each is about 15 MB, and every rebuilt jar or new set
     * of JVM arguments makes another.
     */
    static final int KEEP = 8;
    private static final long LOCK_WAIT_MILLIS = 30_000;
    /** JVM arguments that turn class sharing, and so the AOT cache, off. */
    private static final List<String> SHARING_OFF = List.of("-Xshare:off", "-XX:AOTMode=off");
    /** The environment variables whose JVM options every JVM started from here, training run included, takes. */
    private static final List<String> JVM_OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");

    private AotCache() {
    }

    /**
     * The cache for workers started with {@code command}, made now if it does not exist yet; empty if workers
     * cannot use one (procpool's entries of their class path are not all jars, or their JVM arguments turn class
     * sharing off) or it could not be made, in which case {@code notices} hears why and workers start without it.
     *
     * @throws WorkerStartException if the training run showed that the JVM refuses to start with the workers' flags
     *     and class path: then no worker can start either, and the message gives the JVM's complaint and the command
     */
    public static Optional<Path> prepare(WorkerJvm command, Path cacheDirectory, Consumer<String> notices) {
        List<Path> jars = command.workerClasspath();
        if (!jars.stream().allMatch(jar -> Files.isRegularFile(jar) && jar.toString().endsWith(".jar"))) {
            return Optional.empty(); // the JVM caches classes from jars only
        }
        if (command.jvmArgs().stream().anyMatch(SHARING_OFF::contains)) {
            return Optional.empty(); // the user turned it off; a training run would only fail, every time
        }
        try {
            Path cache = file(command, cacheDirectory);
            if (Files.isRegularFile(cache)) {
                markUsed(cache);
                return Optional.of(cache);
            }
            Files.createDirectories(cacheDirectory);
            try (FileChannel lockFile = FileChannel.open(cacheDirectory.resolve("aot-cache.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = lock(lockFile)) {
                if (lock == null) {
                    notices.accept("another process is making the workers' AOT cache in " + cacheDirectory
                            + "; workers start without it this time");
                    return Optional.empty();
                }
                if (!Files.isRegularFile(cache)) {
                    train(command, cache);
                    prune(cacheDirectory);
                }
            }
            if (!file(command, cacheDirectory).equals(cache)) {
                Files.deleteIfExists(cache);
                throw new IOException(String.join(", ", jars.stream().map(Path::toString).toList())
                        + " changed while the cache was made");
            }
            return Optional.of(cache);
        } catch (IOException e) {
            notices.accept("cannot make the workers' AOT cache in " + cacheDirectory + " (" + e.getMessage()
                    + "); workers start without it, more slowly");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Where the cache for workers started with {@code command} is, or would be, in {@code cacheDirectory}. */
    static Path file(WorkerJvm command, Path cacheDirectory) throws IOException {
        return cacheDirectory.resolve("worker-" + Long.toHexString(key(command)) + ".aot");
    }

    /** The default place for caches: {@code $XDG_CACHE_HOME/procpool}, else {@code ~/.cache/procpool}. */
    public static Path defaultDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("procpool");
    }

    private static FileLock lock(FileChannel channel) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOCK_WAIT_MILLIS);
        while (true) {
            FileLock lock = channel.tryLock();
            if (lock != null || System.nanoTime() > deadline) {
                return lock;
            }
            TimeUnit.MILLISECONDS.sleep(50); // a file lock sends no wake-up: poll, within the deadline
        }
    }

    /**
     * Runs the training JVM into a partial file, then renames it into place. The training JVM records what the
     * worker loads and runs, and at its exit starts a second JVM that assembles the cache from that record (JEP 514);
     * both write to {@code output}, which is quoted when the run fails.
     */
    private static void train(WorkerJvm command, Path cache) throws IOException, InterruptedException {
        Path partial = Files.createTempFile(cache.getParent(), "worker-", ".aot.partial");
        Files.delete(partial); // the JVM writes it; an existing file would be mistaken for a finished one
        Path record = Path.of(partial + ".config"); // the JVM's own name for the record it keeps until the end
        Path output = Files.createTempFile(cache.getParent(), "worker-", ".aot.log");
        Process training = new ProcessBuilder(command.trainingCommand(partial))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(output.toFile())
                .redirectErrorStream(true)
                .start();
        try {
            if (!training.waitFor(TRAINING_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("the training run did not finish within " + TRAINING_TIMEOUT_SECONDS + " s");
            }
            if (training.exitValue() != 0 || !Files.isRegularFile(partial)) {
                Optional<String> refused = JvmComplaint.of(readLines(output));
                if (refused.isPresent()) {
                    // The JVM itself would not start with the workers' flags and class path: no worker will either.
                    throw new WorkerStartException("worker JVMs cannot start: " + refused.get() + "\n  command: "
                            + String.join(" ", command.toList(1)));
                }
                throw new IOException("the training run exited with status " + training.exitValue()
                        + lastLine(output));
            }
            try {
                Files.move(partial, cache, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, cache, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            // Timed out, failed or interrupted: the training JVM and the one assembling the cache (their stdin is
            // /dev/null, so nothing else ends them) and their files go. Its children first, while they are known.
            training.descendants().forEach(ProcessHandle::destroyForcibly);
            training.destroyForcibly();
            Files.deleteIfExists(partial);
            Files.deleteIfExists(record);
            Files.deleteIfExists(output);
        }
    }

    /**
     * Deletes all but the {@value #KEEP} most recently used caches. A worker already running from a deleted cache
     * keeps its mapping; a new one started from it would find it missing, start without it, and the pool would make
     * it again next time.
     */
    private static void prune(Path cacheDirectory) throws IOException {
        List<Path> caches;
        try (Stream<Path> files = Files.list(cacheDirectory)) {
            caches = files.filter(file -> file.getFileName().toString().matches("worker-[0-9a-f]+\\.aot"))
                    .sorted(Comparator.comparing(AotCache::lastModified).reversed()).toList();
        }
        for (Path old : caches.subList(Math.min(KEEP, caches.size()), caches.size())) {
            Files.deleteIfExists(old);
        }
    }

    /** Marks the cache as recently used, so pruning keeps it; a cache that cannot be marked is still good to use. */
    private static void markUsed(Path cache) {
        try {
            Files.setLastModifiedTime(cache, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException e) {
            // A read-only directory, say: nobody prunes there either.
        }
    }

    private static FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0); // gone already: first to go
        }
    }

    /** "; its last line: ..." from the training run's output, or nothing if it printed nothing. */
    private static String lastLine(Path output) {
        List<String> lines = readLines(output).stream().map(String::strip).filter(line -> !line.isEmpty()).toList();
        return lines.isEmpty() ? "" : "; its last line: " + lines.get(lines.size() - 1);
    }

    /** The training run's output, at most its first 100 lines; none if it cannot be read. */
    private static List<String> readLines(Path output) {
        try (Stream<String> lines = Files.lines(output, StandardCharsets.UTF_8)) {
            return lines.limit(100).toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    /**
     * A hash of everything the cache depends on: the training command (the JVM, the flags, the worker's JVM
     * arguments and the jars' paths), the JVM's build, each jar's size and modification time, and the JVM options
     * from the environment.
     */
    private static long key(WorkerJvm command) throws IOException {
        StringBuilder identity = new StringBuilder()
                .append(String.join(" ", command.trainingCommand(Path.of("worker.aot")))).append('\n')
                .append(System.getProperty("java.vm.version")).append('\n');
        for (Path jar : command.workerClasspath()) {
            identity.append(jar.toAbsolutePath()).append('\n')
                    .append(Files.size(jar)).append('\n')
                    .append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
        }
        for (String variable : JVM_OPTION_VARIABLES) {
            identity.append(variable).append('=').append(Objects.toString(System.getenv(variable), "")).append('\n');
        }
        return Fnv.hash64(identity.toString().getBytes(StandardCharsets.UTF_8));
    }
}
