package dev.procpool.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.LongAdder;

/**
 * A worker's stdin that counts the bytes that go into it, for {@link dev.procpool.WorkerInfo#bytesSent()}. As
 * thread-safe as the stream it wraps; the count may be read from any thread.
 */
final class CountingOutput extends FilterOutputStream {

    private final LongAdder count;

    CountingOutput(OutputStream out, LongAdder count) {
        super(out);
        this.count = count;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        count.increment();
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        count.add(length);
    }
}
