package dev.procpool.worker;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Marks every descriptor of this worker above stderr close-on-exec, the protocol's first among them, so that no
 * program a task's native code starts ({@code system()}, {@code posix_spawn}, a fork and exec of its own) inherits the
 * protocol: a child started from Java inherits none of them anyway (the JDK closes them in the child), but native code
 * does not close them. The way a worker gets there when it cannot open its protocol's descriptors anew close-on-exec
 * through the JDK's own calls ({@link CloseOnExecReopen}, the cheap way). Done through the FFM API
 * ({@code fcntl(fd, F_SETFD, FD_CLOEXEC)}), whose first downcall links for tens of milliseconds, so on a thread of its
 * own ({@code procpool-worker-cloexec}) started once the worker has said hello; the worker's reader
 * {@link #awaitDone() waits} for it before it decodes a frame, so none of the user's code (a task, a job's or a shared
 * value's constructor) runs before it. Descriptors opened later (jars the class loader opens, a thread's clock) are not
 * marked; none of them is the protocol's.
 *
 * <p>Where descriptors cannot be listed or the call cannot be made (no {@code /proc/self/fd} or {@code /dev/fd}, native
 * access denied to the worker's JVM, which procpool starts with {@code --enable-native-access=ALL-UNNAMED}), the
 * worker says so once on stderr and carries on: the frame checks still catch
 * what such a child writes to the protocol. Thread-safe.
 */
final class CloseOnExec implements Runnable {

    /**
     * How long the reader waits for the marking before it decodes its first frame; past it, it goes on all the same
     * (well inside the heartbeat time-out, which a reader that waits does not answer).
     */
    private static final long WAIT_SECONDS = 3;
    private static final int F_SETFD = 2;
    private static final int FD_CLOEXEC = 1;
    private static final int FIRST_PRIVATE = 3;

    private final PrintStream log;
    private final CountDownLatch done = new CountDownLatch(1);
    /** Whether a reader has waited already: later ones do not, even if the marking never finished. */
    private volatile boolean awaited;

    private CloseOnExec(PrintStream log) {
        this.log = log;
    }

    /** Starts marking, on a daemon thread of its own. */
    static CloseOnExec start(PrintStream log) {
        CloseOnExec marking = new CloseOnExec(log);
        Thread thread = new Thread(marking, "procpool-worker-cloexec");
        thread.setDaemon(true);
        thread.start();
        return marking;
    }

    /** Nothing to mark: a worker whose protocol is on descriptors 0 and 1, or one under test. */
    static CloseOnExec none() {
        CloseOnExec nothing = new CloseOnExec(null);
        nothing.done.countDown();
        return nothing;
    }

    /**
     * Waits until the descriptors are marked, at most {@link #WAIT_SECONDS}, the first time it is called: what a thread
     * calls each time it takes up reading (one thread at a time). Costs a volatile read after the first.
     */
    void awaitDone() {
        if (awaited) {
            return;
        }
        awaited = true;
        try {
            if (!done.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                log.println("procpool worker: the protocol's descriptors were not marked close-on-exec within "
                        + WAIT_SECONDS + " s; going on all the same");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        try {
            mark();
        } catch (Throwable e) { // LinkageError, IllegalCallerException, anything: say so and carry on
            log.println("procpool worker: cannot mark the protocol's descriptors close-on-exec (" + e
                    + "); a program that a task's native code starts inherits them");
        } finally {
            done.countDown();
        }
    }

    @SuppressWarnings("restricted") // the JVM is started with native access for it (see the class comment)
    private void mark() throws Throwable {
        List<Integer> descriptors = openDescriptors();
        Linker linker = Linker.nativeLinker();
        Optional<MemorySegment> fcntl = linker.defaultLookup().find("fcntl");
        if (fcntl.isEmpty()) {
            throw new UnsupportedOperationException("no fcntl in the C library");
        }
        MethodHandle setFlags = linker.downcallHandle(fcntl.get(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT),
                Linker.Option.firstVariadicArg(2));
        for (int fd : descriptors) {
            // -1 for a descriptor closed since it was listed (the listing's own): nothing to mark.
            int ignored = (int) setFlags.invokeExact(fd, F_SETFD, FD_CLOEXEC);
        }
    }

    /** The descriptors open in this process above stderr. */
    private static List<Integer> openDescriptors() throws IOException {
        Path listing = Files.isDirectory(Path.of("/proc/self/fd")) ? Path.of("/proc/self/fd") : Path.of("/dev/fd");
        List<Integer> descriptors = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(listing)) {
            for (Path entry : entries) {
                int fd = Integer.parseInt(entry.getFileName().toString());
                if (fd >= FIRST_PRIVATE) {
                    descriptors.add(fd);
                }
            }
        }
        return descriptors;
    }
}
