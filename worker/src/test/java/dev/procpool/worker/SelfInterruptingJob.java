package dev.procpool.worker;

import dev.procpool.job.LongSum;
import dev.procpool.job.Range;
import dev.procpool.job.RangeJob;

/** A test job whose tasks interrupt their own thread, then return their range's length. Stateless. */
public record SelfInterruptingJob() implements RangeJob<Long>, LongSum<Range> {

    @Override
    public String name() {
        return "self-interrupting";
    }

    @Override
    public String description() {
        return "interrupts the thread that computes it";
    }

    @Override
    public long defaultSize() {
        return 10;
    }

    @Override
    public long maxSize() {
        return 1_000_000;
    }

    @Override
    public Long compute(Range range) {
        Thread.currentThread().interrupt();
        return range.length();
    }
}
