package dev.procpool.testing;

import dev.procpool.job.Job;
import dev.procpool.job.Range;

/**
 * A test-only job over {@code [0, size)} whose task holding the number 3 throws; the others return their
 * length. Its fixed failure lets tests check how a job run reports a failed task. Stateless.
 */
public final class ThirdFailsJob implements Job<Range, Long> {

    @Override
    public String name() {
        return "three-fails";
    }

    @Override
    public String description() {
        return "test-only: the task holding the number 3 throws";
    }

    @Override
    public long defaultSize() {
        return 8;
    }

    @Override
    public int taskCount(long size, int requested) {
        return Range.partCount(size, requested);
    }

    @Override
    public Range task(long size, int taskCount, int index) {
        return Range.part(0, size, taskCount, index);
    }

    @Override
    public Long compute(Range range) {
        if (range.from() <= 3 && 3 < range.to()) {
            throw new IllegalStateException("boom 3");
        }
        return range.length();
    }

    @Override
    public Long identity() {
        return 0L;
    }

    @Override
    public Long combine(Long combined, Long partial) {
        return combined + partial;
    }
}
