package dev.procpool.worker;

import dev.procpool.protocol.WorkerArguments;
import java.io.BufferedInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Entry point of a worker JVM: {@code java -cp procpool-worker.jar dev.procpool.worker.WorkerMain
 * [--serve] [--max-frame-bytes=N] [--batch-frame-bytes=N]} (see {@link WorkerArguments}). Speaks the
 * procpool protocol on stdin and stdout; everything else goes to stderr. It starts knowing no job: its coordinator
 * sends each job before its first task.
 *
 * <p>Two more modes serve the benchmark as the machine's own yardsticks: {@code --echo} echoes 8-byte messages
 * with nothing of procpool in the way, and {@code --bare} writes one byte and exits, which times a bare JVM
 * start from the same jar. {@code --train} is the training run that records the workers' AOT cache (see
 * {@link Training}).
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String[] args) {
        // Before anything else can print: stdout may be the protocol channel. Keep a raw handle on it, then send every
        // later System.out print (from tasks, libraries, anything) to stderr.
        OutputStream standardOut = new FileOutputStream(FileDescriptor.out);
        System.setOut(System.err);

        WorkerArguments arguments;
        try {
            arguments = WorkerArguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("procpool worker: " + e.getMessage());
            System.exit(WorkerExit.USAGE);
            return;
        }
        switch (arguments.mode()) {
            case BARE -> bare(standardOut);
            case TRAIN -> System.exit(Training.run());
            case ECHO -> echo(arguments, standardOut);
            case SERVE -> serve(arguments, standardOut);
        }
    }

    /** Serves tasks on the protocol's channel (see {@link #channel}). */
    private static void serve(WorkerArguments arguments, OutputStream standardOut) {
        Channel channel = channel(arguments, standardOut);
        Worker worker = worker(arguments, channel.in(), channel.out(), channel.toMark());
        Runtime.getRuntime().addShutdownHook(Descendants.hook());
        System.exit(worker.run());
    }

    /** The pipe yardstick, on the channel a serving worker would use. */
    private static void echo(WorkerArguments arguments, OutputStream standardOut) {
        Channel channel = channel(arguments, standardOut);
        System.exit(Echo.run(channel.in(), channel.out()));
    }

    /**
     * The streams the coordinator talks to this worker through.
     *
     * @param toMark whether their descriptors are still to be marked close-on-exec (see {@link CloseOnExec})
     */
    private record Channel(InputStream in, OutputStream out, boolean toMark) {
    }

    /**
     * The protocol's channel. With private descriptors, it is on descriptors 3 and 4, where the command that started
     * this JVM moved it (descriptor 0 reads {@code /dev/null}, 1 writes to stderr): nothing a task, native code or a
     * child process does with stdin or stdout can reach it. They are opened anew close-on-exec where the JDK allows it
     * ({@link CloseOnExecReopen}), else marked so once the worker has said hello ({@link CloseOnExec}). Without them, it
     * is on 0 and 1, and {@code System.in} is at least empty for tasks. Exits with a usage status if the descriptors
     * cannot be opened.
     */
    private static Channel channel(WorkerArguments arguments, OutputStream standardOut) {
        if (!arguments.privateDescriptors()) {
            InputStream in = System.in;
            System.setIn(InputStream.nullInputStream());
            return new Channel(in, standardOut, false);
        }
        FileDescriptor in = null;
        FileDescriptor out = null;
        String notReopened = null;
        Optional<CloseOnExecReopen> reopen = CloseOnExecReopen.lookUp(System.err);
        if (reopen.isPresent()) {
            try {
                in = reopen.get().reopen(WorkerArguments.PROTOCOL_IN, false);
                out = reopen.get().reopen(WorkerArguments.PROTOCOL_OUT, true);
            } catch (IOException e) {
                notReopened = e.getMessage();
            }
        }
        try {
            InputStream input = in != null ? new FileInputStream(in)
                    : new FileInputStream("/dev/fd/" + WorkerArguments.PROTOCOL_IN);
            OutputStream output = out != null ? new FileOutputStream(out)
                    : new FileOutputStream("/dev/fd/" + WorkerArguments.PROTOCOL_OUT);
            if (notReopened != null) {
                System.err.println("procpool worker: cannot open the protocol's descriptors anew close-on-exec ("
                        + notReopened + "); marking them close-on-exec through FFM instead");
            }
            return new Channel(new BufferedInputStream(input, 1 << 16), output, in == null || out == null);
        } catch (IOException e) {
            System.err.println("procpool worker: cannot open the protocol on descriptors "
                    + WorkerArguments.PROTOCOL_IN + " and " + WorkerArguments.PROTOCOL_OUT + " (" + e.getMessage()
                    + "); the command that starts a worker with " + WorkerArguments.PRIVATE_DESCRIPTORS
                    + " must move them there");
            System.exit(WorkerExit.USAGE);
            throw new AssertionError("exited");
        }
    }

    /**
     * A worker on these streams, ready to {@link Worker#run run}; the training run makes its worker here too, so that
     * the AOT cache holds what a worker's start-up loads and links.
     *
     * @param markDescriptors whether the worker still has to mark its descriptors close-on-exec
     */
    static Worker worker(WorkerArguments arguments, InputStream in, OutputStream out, boolean markDescriptors) {
        return new Worker(in, out, arguments, markDescriptors, new Halt(), System.err);
    }

    /**
     * Ends the JVM at once. A class rather than a lambda: a lambda's class is spun at run time unless the AOT
     * cache holds it, and this one is made before the handshake.
     */
    private static final class Halt implements IntConsumer {
        @Override
        public void accept(int status) {
            Descendants.end();
            Runtime.getRuntime().halt(status);
        }
    }

    private static void bare(OutputStream out) {
        try {
            out.write('.');
            out.flush();
        } catch (IOException e) {
            System.exit(WorkerExit.CHANNEL_CLOSED);
        }
    }
}
