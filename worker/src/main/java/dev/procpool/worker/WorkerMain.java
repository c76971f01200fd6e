package dev.procpool.worker;

import dev.procpool.job.JobRegistry;
import dev.procpool.protocol.WorkerArguments;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.IntConsumer;

/**
 * Entry point of a worker JVM: {@code java -cp procpool-worker.jar dev.procpool.worker.WorkerMain
 * [--serve] [--max-frame-bytes=N]} (see {@link WorkerArguments}). Speaks the procpool protocol on stdin and stdout; everything else goes to stderr.
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

        WorkerArguments arguments;
        try {
            arguments = WorkerArguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("procpool worker: " + e.getMessage());
            System.exit(WorkerExit.USAGE);
            return;
        }
        switch (arguments.mode()) {
            case BARE -> bare(protocolOut);
            case TRAIN -> System.exit(Training.run());
            case ECHO -> System.exit(Echo.run(System.in, protocolOut));
            case SERVE -> serve(protocolOut, arguments.maxFrameBytes());
        }
    }

    private static void serve(OutputStream protocolOut, int maxFrameBytes) {
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
}
