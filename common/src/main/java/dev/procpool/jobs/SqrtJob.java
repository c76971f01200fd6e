package dev.procpool.jobs;

import dev.procpool.job.Job;
import dev.procpool.job.Range;

/**
 * The sum of {@code Math.sqrt(i)} for {@code i} in {@code [1, size)}: the classic CPU-bound loop. Stateless.
 *
 * <p>The loop's result is returned and combined, so the JIT cannot drop it; and Java's floating point is strict,
 * so the same split summed in the same order gives the same bits on any thread or JVM.
 */
public final class SqrtJob implements Job<Range, Double> {

    /** Beyond 2^53 a long no longer converts to a distinct double. */
    private static final long MAX_SIZE = 1L << 53;

    @Override
    public String name() {
        return "sqrt";
    }

    @Override
    public String description() {
        return "sum of Math.sqrt(i) for i in [1, size)";
    }

    @Override
    public long defaultSize() {
        return 1_000_000_000L;
    }

    @Override
    public long maxSize() {
        return MAX_SIZE;
    }

    @Override
    public int taskCount(long size, int requested) {
        return Range.partCount(size - 1, requested);
    }

    @Override
    public Range task(long size, int taskCount, int index) {
        return Range.part(1, size, taskCount, index);
    }

    @Override
    public Double compute(Range range) {
        // x tracks i as a double (exact below 2^53): converting i itself each time compiled to code whose speed
        // varied by half with how the JIT reached the loop; this form is steadily the fastest, same bits.
        double sum = 0;
        double x = range.from();
        for (long i = range.from(); i < range.to(); i++) {
            sum += Math.sqrt(x);
            x += 1.0;
        }
        return sum;
    }

    @Override
    public Double identity() {
        return 0.0;
    }

    @Override
    public Double combine(Double combined, Double partial) {
        return combined + partial;
    }
}
