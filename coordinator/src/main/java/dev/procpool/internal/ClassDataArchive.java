package dev.procpool.internal;

import dev.procpool.protocol.Fnv;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The worker jar's class-data-sharing archive: the classes a worker loads on its way to its handshake, mapped
 * from one file instead of read from the jar and verified, which takes tens of milliseconds off every worker's
 * start. Stateless; safe to use from several coordinators at once.
 *
 * <p>The archive is made on first use, by one training run of the worker ({@code --train}) with
 * {@code -XX:ArchiveClassesAtExit}, under a file lock so only one process makes it, and renamed into place
 * atomically so nobody sees half of it. Its name carries a hash of everything it depends on (the JVM, the worker
 * jar's path, size and modification time, and the worker's JVM arguments), so a rebuilt jar or another JDK gets a
 * new archive instead of a stale one. Should the JVM refuse an archive anyway, it says so on stderr (the workers'
 * logging flags keep it off the protocol stream) and runs without it.
 */
public final class ClassDataArchive {

    private static final long TRAINING_TIMEOUT_SECONDS = 60;
    private static final long LOCK_WAIT_MILLIS = 30_000;

    private ClassDataArchive() {
    }

    /**
     * The archive for workers started with {@code command}, made now if it does not exist yet; empty if workers
     * cannot use one (their class path does not start with a jar) or it could not be made, in which case
     * {@code notices} hears why and workers start without it.
     */
    public static Optional<Path> prepare(WorkerJvm command, Path cacheDirectory, Consumer<String> notices) {
        Path jar = command.classpath().get(0);
        if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
            return Optional.empty(); // class-data sharing archives classes from jars only
        }
        try {
            Path archive = cacheDirectory.resolve("worker-" + Long.toHexString(key(command, jar)) + ".jsa");
            if (Files.isRegularFile(archive)) {
                return Optional.of(archive);
            }
            Files.createDirectories(cacheDirectory);
            try (FileChannel lockFile = FileChannel.open(cacheDirectory.resolve("archive.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = lock(lockFile)) {
                if (lock == null) {
                    notices.accept("another process is making the worker class-data archive; starting without it");
                    return Optional.empty();
                }
                if (!Files.isRegularFile(archive)) {
                    train(command, archive);
                }
                return Optional.of(archive);
            }
        } catch (IOException e) {
            notices.accept("cannot make the worker class-data archive in " + cacheDirectory + " (" + e.getMessage()
                    + "); workers start without it, more slowly");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The default place for archives: {@code $XDG_CACHE_HOME/procpool}, else {@code ~/.cache/procpool}. */
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

    private static void train(WorkerJvm command, Path archive) throws IOException, InterruptedException {
        Path partial = Files.createTempFile(archive.getParent(), "worker-", ".jsa.partial");
        Files.delete(partial); // the JVM creates it; an existing file would be an error
        Process training = new ProcessBuilder(command.trainingCommand(partial))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectErrorStream(true)
                .start();
        try {
            if (!training.waitFor(TRAINING_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("the training run did not finish within " + TRAINING_TIMEOUT_SECONDS + " s");
            }
            if (training.exitValue() != 0 || !Files.isRegularFile(partial)) {
                throw new IOException("the training run exited with status " + training.exitValue());
            }
            try {
                Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            // Timed out, failed or interrupted: the training JVM (its stdin is /dev/null, so nothing else ends it)
            // and its half-written archive go.
            training.destroyForcibly();
            Files.deleteIfExists(partial);
        }
    }

    /**
     * A hash of everything the archive depends on: the training command (the JVM, the flags, the worker's JVM
     * arguments and the jar's path), the JVM's build, and the jar's size and modification time.
     */
    private static long key(WorkerJvm command, Path jar) throws IOException {
        String identity = String.join("\n",
                String.join(" ", command.trainingCommand(Path.of("archive.jsa"))),
                System.getProperty("java.vm.version"),
                jar.toAbsolutePath().toString(),
                Long.toString(Files.size(jar)),
                Long.toString(Files.getLastModifiedTime(jar).toMillis()));
        return Fnv.hash64(identity.getBytes(StandardCharsets.UTF_8));
    }
}
