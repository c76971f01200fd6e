package dev.procpool.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A gate that holds back the tasks that {@link #pass} it until the test opens it, on the threads of this JVM and in
 * worker processes alike: a latch for this JVM's threads, and an exclusive lock on a file, which a worker waits to
 * share. A task holds only its {@link #key()}, a string that travels. Made and opened by one test thread; {@link #pass}
 * may be called on any thread of any JVM.
 */
public final class Gate implements AutoCloseable {

    /** The latches of the gates this JVM made, by key; a worker JVM has none and waits for the file's lock. */
    private static final Map<String, CountDownLatch> LATCHES = new ConcurrentHashMap<>();
    /** How long a task of this JVM waits for a gate before it gives up. */
    private static final long MAX_WAIT_SECONDS = 60;

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final CountDownLatch latch = new CountDownLatch(1);

    private Gate(Path file) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.WRITE);
        this.lock = channel.lock();
        LATCHES.put(key(), latch);
    }

    /** A gate that is closed until {@link #open()}. */
    public static Gate closed() {
        try {
            return new Gate(Files.createTempFile("procpool-test-gate-", ".lock"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a task holds to pass this gate. */
    public String key() {
        return file.toString();
    }

    /** Lets every task waiting at the gate, and every later one, through. */
    public void open() {
        latch.countDown();
        try {
            channel.close(); // releases the lock the workers wait for
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens the gate and deletes its file. */
    @Override
    public void close() {
        open();
        LATCHES.remove(key());
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits, in a task, until the gate of {@code key} is open: on a thread of the JVM that made it, for at most a
     * minute; in a worker process, until the test's JVM lets go of the file's lock (opening the gate, or ending), or
     * the pool ends the worker.
     *
     * @throws IllegalStateException if the gate stayed closed for a minute
     */
    public static void pass(String key) throws IOException, InterruptedException {
        CountDownLatch latch = LATCHES.get(key);
        if (latch != null) {
            if (!latch.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the gate " + key + " stayed closed for " + MAX_WAIT_SECONDS + " s");
            }
            return;
        }
        try (FileChannel shared = FileChannel.open(Path.of(key), StandardOpenOption.READ)) {
            shared.lock(0, Long.MAX_VALUE, true).release(); // granted once the test's exclusive lock is gone
        }
    }
}
