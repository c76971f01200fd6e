package dev.procpool.bench;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the worker jar's {@code --echo} that misbehaves as told, run as its own JVM by {@link PipeBenchTest}:
 * {@code echo-then-exit N} echoes the first N bytes of stdin, then exits 0; {@code hang} never answers (and gives up
 * after a minute, in case nobody kills it); {@code fail} writes two lines to stderr and exits 3.
 */
public final class FakeYardstick {

    private FakeYardstick() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        switch (args[0]) {
            case "echo-then-exit" -> {
                byte[] buffer = new byte[8192];
                int read;
                for (int left = Integer.parseInt(args[1]); left > 0; left -= read) {
                    read = System.in.read(buffer, 0, Math.min(left, buffer.length));
                    if (read < 0) {
                        return;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
            case "hang" -> new CountDownLatch(1).await(1, TimeUnit.MINUTES);
            case "fail" -> {
                System.err.println("fake: first line");
                System.err.println("fake: cannot go on");
                System.exit(3);
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }
}
