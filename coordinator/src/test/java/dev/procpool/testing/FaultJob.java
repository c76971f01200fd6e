package dev.procpool.testing;

import dev.procpool.job.LongSum;
import dev.procpool.protocol.Protocol;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A test-only job whose tasks misbehave on request: each task says what to do and returns its {@code value}
 * if it survives. Never shipped: it lives in test sources and is found through the test class path, in the
 * test JVM and in the worker JVMs started from it. Stateless.
 */
public final class FaultJob implements LongSum<FaultJob.Fault> {

    /**
     * A shell script whose exit status is the number of pipes and sockets it inherited above stderr (no command
     * substitution: its pipe would count; the descriptor that listed the directory is closed when it is tested).
     */
    private static final String COUNT_INHERITED_PIPES = """
            n=0
            for f in /proc/$$/fd/*; do
              d=${f##*/}
              [ "$d" -gt 2 ] || continue
              if [ -p "$f" ] || [ -S "$f" ]; then n=$((n + 1)); fi
            done
            exit $n""";

    /** What a task does before returning its value. */
    public enum Kind {
        /** Returns its value. */
        OK,
        /** Throws an IllegalStateException naming its value. */
        THROW,
        /** Prints about {@code amount} bytes through System.out, then returns. */
        PRINT_STDOUT,
        /** Writes to file descriptor 1 directly, past System.out, as native code would. */
        STRAY_STDOUT,
        /** Calls System.exit(amount). */
        EXIT,
        /** Calls System.exit(amount) from a thread it starts, named {@code fault-exit}, and waits for that thread. */
        EXIT_ON_OWN_THREAD,
        /** Halts the JVM with status {@code amount} (no shutdown hooks: a hard crash). */
        HALT,
        /** Hangs: waits for something that never happens, for up to {@code amount} milliseconds. */
        HANG,
        /** Allocates until the heap is exhausted. */
        OOM,
        /** Returns the worker's process id instead of its value. */
        PID,
        /** Keeps the CPU busy for {@code amount} microseconds: a small task of real work. */
        SPIN,
        /** Reads System.in to its end, then returns. */
        READ_STDIN,
        /** Asks System.in how much it holds, then returns. */
        PEEK_STDIN,
        /** Writes what looks like the start of a huge frame to file descriptor 1, past System.out. */
        FRAME_ON_FD1,
        /** Runs a child process that inherits the worker's stdin, stdout and stderr and writes to its stdout. */
        CHILD_STDOUT,
        /** Starts a child process that sleeps for {@code amount} seconds, and returns its pid. */
        SPAWN_SLEEPER,
        /** Starts a child that sleeps for {@code amount} seconds holding the worker's streams, then halts the worker. */
        HALT_LEAVING_CHILD,
        /** Stops its own worker with SIGSTOP: alive, but answering nothing. */
        SELF_STOP,
        /** Recurses until the stack overflows. */
        OVERFLOW,
        /**
         * Writes a frame's header declaring {@code amount} payload bytes, and a few of them, to the worker's protocol
         * descriptor, as native code or a process that inherited it could.
         */
        FRAME_ON_PROTOCOL,
        /** Writes a line of text to the worker's protocol descriptor, as native code or a process could. */
        TEXT_ON_PROTOCOL,
        /**
         * Has native code run a shell ({@code system()} of the C library, through FFM), as a program native code starts
         * could, and returns how many pipes and sockets the shell inherited above stderr: the protocol's, if they were
         * not close-on-exec (the worker holds no other).
         */
        NATIVE_CHILD_INHERITED_PIPES,
        /** Returns how many pipes and sockets the worker holds above stderr. */
        PIPES_HELD
    }

    /**
     * One task: what to do, a number for it, and the value to return. With a {@code once} marker file, it
     * misbehaves only if the file does not exist yet, creating it first: it fails once, then succeeds.
     */
    public record Fault(Kind kind, long amount, long value, String once) {

        public static Fault ok(long value) {
            return new Fault(Kind.OK, 0, value, null);
        }

        public static Fault of(Kind kind, long amount, long value) {
            return new Fault(kind, amount, value, null);
        }

        public static Fault once(Kind kind, long amount, long value, Path marker) {
            return new Fault(kind, amount, value, marker.toString());
        }

        @Override
        public String toString() {
            return kind + "(" + amount + ")#" + value;
        }
    }

    @Override
    public String name() {
        return "fault";
    }

    @Override
    public String description() {
        return "test-only: tasks that crash, hang, throw or print on request";
    }

    @Override
    public long defaultSize() {
        return 10;
    }

    /** Splits into tasks that each return their index: the job's result is the sum 0 + 1 + ... + (count - 1). */
    @Override
    public int taskCount(long size, int requested) {
        return (int) Math.max(1, Math.min(size, requested));
    }

    @Override
    public Fault task(long size, int taskCount, int index) {
        return Fault.ok(index);
    }

    @Override
    public Long compute(Fault fault) throws Exception {
        if (fault.once() != null && !firstTime(Path.of(fault.once()))) {
            return fault.value();
        }
        switch (fault.kind()) {
            case THROW -> throw new IllegalStateException("boom " + fault.value());
            case PRINT_STDOUT -> printToStdout(fault.amount());
            case STRAY_STDOUT -> writeToFd1("stray bytes from native code\n");
            case EXIT -> System.exit((int) fault.amount());
            case EXIT_ON_OWN_THREAD -> {
                Thread exiting = Thread.ofPlatform().name("fault-exit").start(() -> System.exit((int) fault.amount()));
                exiting.join();
            }
            case HALT -> {
                System.err.println("halting with status " + fault.amount());
                System.err.flush();
                Runtime.getRuntime().halt((int) fault.amount());
            }
            case HANG -> new CountDownLatch(1).await(fault.amount(), TimeUnit.MILLISECONDS);
            case OOM -> exhaustHeap();
            case SPIN -> spin(fault.amount());
            case PID -> {
                return ProcessHandle.current().pid();
            }
            case READ_STDIN -> System.in.readAllBytes();
            case PEEK_STDIN -> System.in.available();
            case FRAME_ON_FD1 -> writeToFd1(new String(new byte[] {'P', 'P', 'F', '1', 0x7f, -1, -1, -1},
                    StandardCharsets.ISO_8859_1));
            case CHILD_STDOUT -> new ProcessBuilder("sh", "-c", "echo output of a child process").inheritIO().start()
                    .waitFor();
            case SPAWN_SLEEPER -> {
                return new ProcessBuilder("sleep", Long.toString(fault.amount())).start().pid();
            }
            case HALT_LEAVING_CHILD -> {
                new ProcessBuilder("sleep", Long.toString(fault.amount())).inheritIO().start();
                Runtime.getRuntime().halt(9);
            }
            case SELF_STOP -> {
                new ProcessBuilder("kill", "-STOP", Long.toString(ProcessHandle.current().pid())).start().waitFor();
                Thread.sleep(60_000); // not reached while stopped; a safety net if the signal was lost
            }
            case OVERFLOW -> {
                return recurse(fault.value());
            }
            case FRAME_ON_PROTOCOL -> writeToProtocol(ByteBuffer.allocate(12).putInt(Protocol.FRAME_MAGIC)
                    .putInt((int) fault.amount()).put(new byte[] {'a', 'b', 'c', 'd'}).array());
            case TEXT_ON_PROTOCOL -> writeToProtocol("garbage from native code\n".getBytes(StandardCharsets.US_ASCII));
            case PIPES_HELD -> {
                return (long) pipesAndSocketsAboveStderr().size();
            }
            case NATIVE_CHILD_INHERITED_PIPES -> {
                return NativeShell.run(COUNT_INHERITED_PIPES);
            }
            case OK -> { }
        }
        return fault.value();
    }

    private static long recurse(long depth) {
        return recurse(depth + 1) + 1;
    }

    private static boolean firstTime(Path marker) throws IOException {
        try {
            Files.createFile(marker);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    private static void printToStdout(long bytes) {
        StringBuilder line = new StringBuilder();
        for (long written = 0; written < bytes; written += line.length() + 1) {
            line.setLength(0);
            line.append("noise from a task ").append(written);
            System.out.println(line);
        }
        System.out.flush();
    }

    @SuppressWarnings("resource") // closing it would close fd 1, which may be the worker's protocol channel
    private static void writeToFd1(String text) throws IOException {
        FileOutputStream stdout = new FileOutputStream(FileDescriptor.out);
        stdout.write(text.getBytes(StandardCharsets.ISO_8859_1));
        stdout.flush();
    }

    /** Writes to the worker's protocol output, through a descriptor of its own. */
    private static void writeToProtocol(byte[] bytes) throws IOException {
        try (FileOutputStream protocol = new FileOutputStream(protocolOutput().toFile())) {
            protocol.write(bytes);
        }
    }

    /**
     * The worker's protocol output, as native code that looked for it would find it: a descriptor above stderr that
     * writes to a pipe (the worker opens its own anew, so its number is not known beforehand; where the worker marked
     * its descriptors instead, the inherited one and its copy both write to the same pipe).
     */
    private static Path protocolOutput() throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path descriptor : pipesAndSocketsAboveStderr()) {
            if (Files.readSymbolicLink(descriptor).toString().startsWith("pipe:")
                    && writeOnly(Integer.parseInt(descriptor.getFileName().toString()))) {
                found.add(descriptor);
            }
        }
        if (found.stream().map(FaultJob::target).distinct().count() != 1) {
            throw new IllegalStateException("expected one pipe written to above stderr, found " + found);
        }
        return found.get(0);
    }

    private static String target(Path descriptor) {
        try {
            return Files.readSymbolicLink(descriptor).toString();
        } catch (IOException e) {
            return descriptor.toString();
        }
    }

    /** This process's descriptors above stderr that are pipes or sockets, as {@code /proc/self/fd} entries. */
    private static List<Path> pipesAndSocketsAboveStderr() throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path descriptor : descriptors) {
                try {
                    String target = Files.readSymbolicLink(descriptor).toString();
                    if (Integer.parseInt(descriptor.getFileName().toString()) > 2
                            && (target.startsWith("pipe:") || target.startsWith("socket:"))) {
                        found.add(descriptor);
                    }
                } catch (NoSuchFileException e) {
                    // closed since it was listed: the listing's own descriptor
                }
            }
        }
        return found;
    }

    private static boolean writeOnly(int fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith("flags:")) {
                return (Long.parseLong(line.substring("flags:".length()).strip(), 8) & 3) == 1;
            }
        }
        return false;
    }

    private static void spin(long micros) {
        long until = System.nanoTime() + micros * 1_000;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    private static void exhaustHeap() {
        List<long[]> hoard = new ArrayList<>();
        while (true) {
            hoard.add(new long[1 << 20]);
        }
    }

    @Override
    public List<Class<?>> wireTypes() {
        return List.of(Fault.class, Kind.class);
    }
}
