package dev.procpool.testing;

import dev.procpool.job.LongSum;
import java.util.List;

/**
 * A test-only job whose tasks are byte arrays of {@code size} bytes, each returning its length: tasks big enough to
 * fill a pipe. Stateless.
 */
public final class PayloadJob implements LongSum<byte[]> {

    @Override
    public String name() {
        return "payload";
    }

    @Override
    public String description() {
        return "test-only: tasks of size bytes each, returning their length";
    }

    @Override
    public long defaultSize() {
        return 1024;
    }

    @Override
    public int taskCount(long size, int requested) {
        return Math.max(1, requested);
    }

    @Override
    public byte[] task(long size, int taskCount, int index) {
        return new byte[Math.toIntExact(size)];
    }

    @Override
    public Long compute(byte[] task) {
        return (long) task.length;
    }

    @Override
    public List<Class<?>> wireTypes() {
        return List.of(byte[].class);
    }
}
