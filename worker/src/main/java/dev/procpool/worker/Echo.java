package dev.procpool.worker;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The pipe's own limit, for the benchmark: echoes fixed 8-byte messages from stdin to stdout with no framing,
 * no Kryo and no threads, flushing whenever no more input is waiting. Whatever procpool adds on top of this is
 * its overhead.
 */
final class Echo {

    static final int MESSAGE_BYTES = 8;

    private Echo() {
    }

    /** Echoes until stdin ends; returns the exit status. */
    static int run(InputStream stdin, OutputStream stdout) {
        InputStream in = new BufferedInputStream(stdin, 1 << 16);
        OutputStream out = new BufferedOutputStream(stdout, 1 << 16);
        byte[] message = new byte[MESSAGE_BYTES];
        try {
            while (true) {
                int read = in.readNBytes(message, 0, MESSAGE_BYTES);
                if (read < MESSAGE_BYTES) {
                    out.flush();
                    return WorkerExit.OK;
                }
                out.write(message);
                if (in.available() < MESSAGE_BYTES) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            return WorkerExit.CHANNEL_CLOSED;
        }
    }
}
