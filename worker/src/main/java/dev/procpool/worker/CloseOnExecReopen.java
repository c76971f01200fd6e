package dev.procpool.worker;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Gives the protocol close-on-exec descriptors of its own, through the JDK's own native calls: it opens each of the
 * protocol's inherited descriptors anew by its {@code /dev/fd} path with {@code O_CLOEXEC}, checks in
 * {@code /proc/self/fdinfo} that the new one is close-on-exec, and closes the inherited one, so that no program a
 * task's native code starts inherits the protocol. It reaches the calls that {@code java.nio.file} itself makes
 * ({@code sun.nio.fs.UnixNativeDispatcher.openat} and {@code sun.nio.ch.IOUtil.newFD}) through method handles, which
 * the worker's JVM is started to allow ({@code --add-opens} of both packages), and closes through a stream: that costs
 * a few milliseconds, where linking the same calls through the FFM API costs each worker tens of milliseconds of CPU
 * and megabytes of resident memory. The calls are chosen for their types: each method handle of a type the JDK has
 * no pregenerated form for makes the JVM generate a class with the JDK's class-file code, and eight of them (the
 * first version: {@code open} with a {@code UnixPath} adapted to {@code Path}, and {@code close0}) ran that code
 * often enough for the JIT to compile it, which left a worker 4 MB larger after a long computation. The two calls
 * used now need one or two. Where the calls are not there (another JDK, another operating system or processor, the
 * packages not opened), {@link #lookUp} is empty and the worker marks its descriptors through FFM instead
 * ({@link CloseOnExec}). Immutable; used by the worker's main thread before the worker starts.
 */
final class CloseOnExecReopen {

    /**
     * The processors whose Linux has the flag values below (the generic ones; a few others, such as MIPS, differ, and
     * mark through FFM instead).
     */
    private static final Set<String> PROCESSORS = Set.of("amd64", "aarch64", "riscv64");
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    /**
     * A terminal opened anew (a job step's output can be one) does not become the worker's controlling terminal, even
     * if the worker leads its session.
     */
    private static final int O_NOCTTY = 0x100;
    private static final int O_CLOEXEC = 0x80000;
    /** Relative paths are taken from the working directory (ours are absolute). */
    private static final int AT_FDCWD = -100;
    /** How the JDK encodes a path for the system (as {@code sun.nio.fs.UnixPath} does). */
    private static final Charset PATH_ENCODING = pathEncoding();
    /** The close-on-exec bit of the octal {@code flags:} line in {@code /proc/self/fdinfo/N}. */
    private static final long FDINFO_CLOEXEC = O_CLOEXEC;

    /** {@code int openat(int dfd, byte[] path, int flags, int mode)}. */
    private final MethodHandle open;
    /** {@code FileDescriptor newFD(int fd)}. */
    private final MethodHandle newDescriptor;

    private CloseOnExecReopen(MethodHandle open, MethodHandle newDescriptor) {
        this.open = open;
        this.newDescriptor = newDescriptor;
    }

    private static Charset pathEncoding() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /**
     * The JDK's calls, or empty where they cannot be reached (see the class comment). If the JVM opened the packages
     * but the calls are not found, the JDK changed: that is said in one line on {@code log}, since the worker then
     * pays the FFM marking's cost.
     */
    static Optional<CloseOnExecReopen> lookUp(PrintStream log) {
        if (!"Linux".equals(System.getProperty("os.name")) || !PROCESSORS.contains(System.getProperty("os.arch"))) {
            return Optional.empty();
        }
        try {
            Class<?> dispatcher = Class.forName("sun.nio.fs.UnixNativeDispatcher");
            Class<?> ioUtil = Class.forName("sun.nio.ch.IOUtil");
            MethodHandle open = MethodHandles.privateLookupIn(dispatcher, MethodHandles.lookup()).findStatic(dispatcher,
                    "openat", MethodType.methodType(int.class, int.class, byte[].class, int.class, int.class));
            MethodHandle newDescriptor = MethodHandles.privateLookupIn(ioUtil, MethodHandles.lookup())
                    .findStatic(ioUtil, "newFD", MethodType.methodType(FileDescriptor.class, int.class));
            return Optional.of(new CloseOnExecReopen(open, newDescriptor));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            if (Object.class.getModule().isOpen("sun.nio.fs", CloseOnExecReopen.class.getModule())) {
                log.println("procpool worker: this JDK's calls for opening descriptors close-on-exec are not where "
                        + "procpool looks (" + e + "); marking them through FFM instead, which costs more");
            }
            return Optional.empty();
        }
    }

    /**
     * Opens inherited descriptor {@code fd} anew, close-on-exec, for reading or writing, and closes {@code fd} (a
     * failure to close it is ignored: the number is free all the same).
     *
     * @return the new descriptor
     * @throws IOException if it cannot be opened anew close-on-exec; then {@code fd} is left open, and nothing else is
     */
    FileDescriptor reopen(int fd, boolean write) throws IOException {
        FileDescriptor reopened = open(Path.of("/dev/fd/" + fd), write);
        closeQuietly(fd);
        return reopened;
    }

    /**
     * Opens {@code path} close-on-exec, for reading or writing.
     *
     * @throws IOException if it cannot be opened, or is not close-on-exec; then nothing is left open
     */
    FileDescriptor open(Path path, boolean write) throws IOException {
        int fd;
        try {
            fd = (int) open.invokeExact(AT_FDCWD, path.toString().getBytes(PATH_ENCODING),
                    (write ? O_WRONLY : O_RDONLY) | O_CLOEXEC | O_NOCTTY, 0);
        } catch (Throwable e) {
            throw failure(e);
        }
        try {
            if (!closeOnExec(fd)) {
                throw new IOException("descriptor " + fd + " (" + path + " opened anew) is not close-on-exec");
            }
            return (FileDescriptor) newDescriptor.invokeExact(fd);
        } catch (Throwable e) {
            closeQuietly(fd);
            throw failure(e);
        }
    }

    /** Closes {@code fd} through a stream, which needs no method handle of its own (each one costs a class). */
    private void closeQuietly(int fd) {
        try {
            new FileInputStream((FileDescriptor) newDescriptor.invokeExact(fd)).close();
        } catch (Throwable e) {
            // EBADF, EIO: the number is released all the same
        }
    }

    /** Whether the kernel lists descriptor {@code fd} of this process as close-on-exec. */
    private static boolean closeOnExec(int fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith("flags:")) {
                return (Long.parseLong(line.substring("flags:".length()).strip(), 8) & FDINFO_CLOEXEC) != 0;
            }
        }
        return false;
    }

    /**
     * What a call threw, as an IOException (the native code throws the JDK's checked {@code UnixException}, whose
     * message is the system's error; anything else means the calls are not what they were); the JVM's own errors are
     * thrown as they are.
     */
    private static IOException failure(Throwable e) {
        if (e instanceof VirtualMachineError error) {
            throw error;
        }
        if (e instanceof IOException io) {
            return io;
        }
        return new IOException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
    }
}
