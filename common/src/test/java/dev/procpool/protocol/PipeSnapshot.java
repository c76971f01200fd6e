package dev.procpool.protocol;

import java.io.InputStream;

/**
 * What a pipe holds at one moment: some bytes, then either the writer's close (end of stream) or nothing yet.
 * Reading past the bytes of a pipe that is still open fails the test instead of blocking, which is how the tests
 * prove that a reader refuses bad input from what has arrived, without waiting for more. Not thread-safe.
 */
final class PipeSnapshot extends InputStream {

    private final byte[] bytes;
    private final boolean closed;
    private int position;

    private PipeSnapshot(byte[] bytes, boolean closed) {
        this.bytes = bytes.clone();
        this.closed = closed;
    }

    /** A pipe holding {@code bytes} whose writer is still there: a real read past them would block. */
    static PipeSnapshot open(byte[] bytes) {
        return new PipeSnapshot(bytes, false);
    }

    /** A pipe holding {@code bytes} whose writer has closed it: a read past them sees end of stream. */
    static PipeSnapshot closed(byte[] bytes) {
        return new PipeSnapshot(bytes, true);
    }

    @Override
    public int read() {
        if (!hasMore()) {
            return -1;
        }
        return bytes[position++] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (!hasMore()) {
            return -1;
        }
        int count = Math.min(length, bytes.length - position);
        System.arraycopy(bytes, position, target, offset, count);
        position += count;
        return count;
    }

    @Override
    public int available() {
        return bytes.length - position;
    }

    private boolean hasMore() {
        if (position < bytes.length) {
            return true;
        }
        if (!closed) {
            throw new AssertionError("read past the " + bytes.length + " bytes in an open pipe: a real pipe would block here");
        }
        return false;
    }
}
