package dev.procpool.worker;

import dev.procpool.job.JobRegistry;
import dev.procpool.protocol.Protocol;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;

/**
 * Entry point of a worker JVM: {@code java -cp procpool-worker.jar dev.procpool.worker.WorkerMain
 * [--max-frame-bytes=N]}. Speaks the procpool protocol on stdin and stdout; everything else goes to stderr.
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String[] args) {
        // Before anything else can print: stdout is the protocol channel. Keep a raw handle on it for frames,
        // then send every later System.out print (from tasks, libraries, anything) to stderr.
        OutputStream protocolOut = new FileOutputStream(FileDescriptor.out);
        System.setOut(System.err);

        int maxFrameBytes;
        try {
            maxFrameBytes = parseMaxFrameBytes(args);
        } catch (IllegalArgumentException e) {
            System.err.println("procpool worker: " + e.getMessage());
            System.exit(WorkerExit.USAGE);
            return;
        }
        Worker worker = new Worker(System.in, protocolOut, JobRegistry.loadDefault(), maxFrameBytes,
                status -> Runtime.getRuntime().halt(status), System.err);
        System.exit(worker.run());
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
                if (maxFrameBytes < 1) {
                    throw new IllegalArgumentException("--max-frame-bytes must be positive, got " + maxFrameBytes);
                }
            } else {
                throw new IllegalArgumentException("unknown argument '" + arg + "'; the worker is started by the "
                        + "procpool coordinator, not by hand");
            }
        }
        return maxFrameBytes;
    }
}
