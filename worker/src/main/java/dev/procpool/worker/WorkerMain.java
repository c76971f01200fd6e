package dev.procpool.worker;

import dev.procpool.job.JobRegistry;
import dev.procpool.protocol.Protocol;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.IntConsumer;

/**
 * Entry point of a worker JVM: {@code java -cp procpool-worker.jar dev.procpool.worker.WorkerMain
 * [--max-frame-bytes=N]}. Speaks the procpool protocol on stdin and stdout; everything else goes to stderr.
 *
 * <p>Two more modes serve the benchmark as the machine's own yardsticks: {@code --echo} echoes 8-byte messages
 * with nothing of procpool in the way, and {@code --bare} writes one byte and exits, which times a bare JVM
 * start from the same jar. {@code --train} is the class-data-sharing training run (see {@link Training}).
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String[] args) {
        // Before anything else can print: stdout is the protocol channel. Keep a raw handle on it for frames,
        // then send every later System.out print (from tasks, libraries, anything) to stderr.
        OutputStream protocolOut = new FileOutputStream(FileDescriptor.out);
        System.setOut(System.err);

        if (args.length == 1 && args[0].equals("--bare")) {
            bare(protocolOut);
            return;
        }
        if (args.length == 1 && args[0].equals("--train")) {
            System.exit(Training.run());
            return;
        }
        if (args.length == 1 && args[0].equals("--echo")) {
            System.exit(Echo.run(System.in, protocolOut));
            return;
        }
        int maxFrameBytes;
        try {
            maxFrameBytes = parseMaxFrameBytes(args);
        } catch (IllegalArgumentException e) {
            System.err.println("procpool worker: " + e.getMessage());
            System.exit(WorkerExit.USAGE);
            return;
        }
        Worker worker = new Worker(System.in, protocolOut, JobRegistry.loadDefault(), maxFrameBytes,
                new Halt(), System.err);
        System.exit(worker.run());
    }

    /**
     * Ends the JVM at once. A class rather than a lambda: the worker's first lambda would be spun at run time,
     * outside the class-data archive, which costs a few milliseconds of every worker's start-up.
     */
    private static final class Halt implements IntConsumer {
        @Override
        public void accept(int status) {
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

    static int parseMaxFrameBytes(String[] args) {
        int maxFrameBytes = Protocol.DEFAULT_MAX_FRAME_BYTES;
        for (String arg : args) {
            if (arg.startsWith("--max-frame-bytes=")) {
                String value = arg.substring("--max-frame-bytes=".length());
                try {
                    maxFrameBytes = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--max-frame-bytes needs a whole number, got '" + value + "'");
                }
                Protocol.checkMaxFrameBytes(maxFrameBytes);
            } else {
                throw new IllegalArgumentException("unknown argument '" + arg + "'; the worker is started by the "
                        + "procpool coordinator, not by hand");
            }
        }
        return maxFrameBytes;
    }
}
