package dev.procpool.job;

import java.util.List;

/**
 * A job that only has a name and wire types, for tests of the registry and the wire format: its task is the size
 * and its result the task. Immutable and thread-safe.
 */
public record StubJob(String name, List<Class<?>> wireTypes) implements LongSum<Long> {

    public StubJob {
        wireTypes = List.copyOf(wireTypes);
    }

    public StubJob(String name) {
        this(name, List.of());
    }

    @Override
    public String description() {
        return "a stub job named " + name;
    }

    @Override
    public long defaultSize() {
        return 1;
    }

    @Override
    public int taskCount(long size, int requested) {
        return 1;
    }

    @Override
    public Long task(long size, int taskCount, int index) {
        return size;
    }

    @Override
    public Long compute(Long task) {
        return task;
    }
}
