package dev.procpool.worker;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Gives the protocol close-on-exec descriptors of its own, through the JDK's own native calls: it opens each of the
 * protocol's inherited descriptors anew by its {@code /dev/fd} path with {@code O_CLOEXEC}, checks in
 * {@code /proc/self/fdinfo} that the new one is close-on-exec, and closes the inherited one, so that no program a
 * task's native code starts inherits the protocol. It reaches the calls that {@code java.nio.file} itself makes
 * ({@code sun.nio.fs.UnixNativeDispatcher}'s {@code open} and {@code close0}, and {@code sun.nio.ch.IOUtil.newFD})
 * through method handles, which the worker's JVM is started to allow ({@code --add-opens} of both packages): that
 * costs a few milliseconds, where linking the same calls through the FFM API costs each worker tens of milliseconds of
 * CPU and megabytes of resident memory. Where the calls are not there (another JDK, another operating system, the
 * packages not opened), {@link #lookUp()} is empty and the worker marks its descriptors through FFM instead
 * ({@link CloseOnExec}). Immutable; used by the worker's main thread before the worker starts.
 */
final class CloseOnExecReopen {

    /** {@code O_CLOEXEC} on Linux (the only system where the result is checked, and so the only one used). */
    private static final int O_CLOEXEC = 0x80000;
    /**
     * {@code O_NOCTTY} on Linux: a terminal opened anew (a job step's output can be one) does not become the worker's
     * controlling terminal, even if the worker leads its session.
     */
    private static final int O_NOCTTY = 0x100;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    /** The close-on-exec bit of the octal {@code flags:} line in {@code /proc/self/fdinfo/N}. */
    private static final long FDINFO_CLOEXEC = O_CLOEXEC;

    /** {@code int open(UnixPath path, int flags, int mode)}, typed to take any {@link Path}. */
    private final MethodHandle open;
    /** {@code void close0(int fd)}. */
    private final MethodHandle close;
    /** {@code FileDescriptor newFD(int fd)}. */
    private final MethodHandle newDescriptor;

    private CloseOnExecReopen(MethodHandle open, MethodHandle close, MethodHandle newDescriptor) {
        this.open = open;
        this.close = close;
        this.newDescriptor = newDescriptor;
    }

    /** The JDK's calls, or empty where they cannot be reached (see the class comment). */
    static Optional<CloseOnExecReopen> lookUp() {
        if (!"Linux".equals(System.getProperty("os.name"))) {
            return Optional.empty();
        }
        try {
            Class<?> dispatcher = Class.forName("sun.nio.fs.UnixNativeDispatcher");
            Class<?> unixPath = Class.forName("sun.nio.fs.UnixPath");
            Class<?> ioUtil = Class.forName("sun.nio.ch.IOUtil");
            MethodHandles.Lookup files = MethodHandles.privateLookupIn(dispatcher, MethodHandles.lookup());
            MethodHandle open = files.findStatic(dispatcher, "open",
                    MethodType.methodType(int.class, unixPath, int.class, int.class))
                    .asType(MethodType.methodType(int.class, Path.class, int.class, int.class));
            MethodHandle close = files.findStatic(dispatcher, "close0", MethodType.methodType(void.class, int.class));
            MethodHandle newDescriptor = MethodHandles.privateLookupIn(ioUtil, MethodHandles.lookup())
                    .findStatic(ioUtil, "newFD", MethodType.methodType(FileDescriptor.class, int.class));
            return Optional.of(new CloseOnExecReopen(open, close, newDescriptor));
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Not opened to this module (InaccessibleObjectException, IllegalAccessException), or not in this JDK.
            return Optional.empty();
        }
    }

    /**
     * Opens inherited descriptor {@code fd} anew, close-on-exec, for reading or writing, and closes {@code fd}.
     *
     * @return the new descriptor
     * @throws IOException if it cannot be opened, or is not close-on-exec (then {@code fd} is left open and nothing
     *     else is)
     */
    FileDescriptor reopen(int fd, boolean write) throws IOException {
        int reopened = open(Path.of("/dev/fd/" + fd), (write ? O_WRONLY : O_RDONLY) | O_CLOEXEC | O_NOCTTY);
        if (!closeOnExec(reopened)) {
            close(reopened);
            throw new IOException("descriptor " + reopened + " (descriptor " + fd + " opened anew) is not "
                    + "close-on-exec");
        }
        close(fd);
        try {
            return (FileDescriptor) newDescriptor.invokeExact(reopened);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    private int open(Path path, int flags) throws IOException {
        try {
            return (int) open.invokeExact(path, flags, 0);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    private void close(int fd) throws IOException {
        try {
            close.invokeExact(fd);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    /** Whether the kernel lists descriptor {@code fd} of this process as close-on-exec. */
    static boolean closeOnExec(int fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith("flags:")) {
                return (Long.parseLong(line.substring("flags:".length()).strip(), 8) & FDINFO_CLOEXEC) != 0;
            }
        }
        return false;
    }

    /**
     * What a call threw, as an IOException to throw (the native code throws the JDK's checked {@code UnixException},
     * whose message is the system's error); errors and runtime exceptions are thrown as they are.
     */
    private static IOException failure(Throwable e) {
        if (e instanceof Error error) {
            throw error;
        }
        if (e instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (e instanceof IOException io) {
            return io;
        }
        return new IOException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
    }
}
