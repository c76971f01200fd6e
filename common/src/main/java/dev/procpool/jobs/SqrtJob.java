package dev.procpool.jobs;

import dev.procpool.job.Range;
import dev.procpool.job.RangeJob;

/**
 * The sum of {@code Math.sqrt(i)} for {@code i} in {@code [1, size)}: the classic CPU-bound loop. Stateless.
 *
 * <p>The loop's result is returned and combined, so the JIT cannot drop it; and Java's floating point is strict,
 * so the same split summed in the same order gives the same bits on any thread or JVM.
 */
public final class SqrtJob implements RangeJob<Double> {

    /**
     * Numbers per call of the inner loop: 65,536 turns of four terms, enough back-edges in the first call for a
     * fresh JVM to compile the loop during it (measured: its first task as fast as later ones).
     */
    private static final int CHUNK = 1 << 18;

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
    public long first() {
        return 1;
    }

    @Override
    public Double compute(Range range) {
        double sum = 0;
        for (long start = range.from(); start < range.to(); start += CHUNK) {
            sum = addRoots(sum, start, (int) Math.min(CHUNK, range.to() - start));
        }
        return sum;
    }

    /**
     * Adds the roots of {@code count} numbers from {@code first}, in order, to {@code sum}. The loop lives here,
     * counted by an int and entered once per chunk, because that is the shape C2 compiles fully from the first
     * task on: one long loop over the whole range ran its first task in slower on-stack-replacement code (about
     * 0.3 s lost per cold JVM at the default size). x steps by 1.0 rather than converting each number, which is
     * exact below 2^53 and steadily faster; the additions and their order, hence the bits, are unchanged.
     */
    private static double addRoots(double sum, long first, int count) {
        double x = first;
        int i = 0;
        // Four terms a turn, added in the same order as one at a time (same bits). Left to itself, C2 unrolled
        // the one-term loop into code whose speed varied by a fifth from one JVM to the next (measured: 1.84 s in
        // one JVM, 2.2 s in another, for the same 1e9 terms), which skewed comparisons between modes.
        for (; i + 4 <= count; i += 4) {
            sum += Math.sqrt(x);
            sum += Math.sqrt(x + 1.0);
            sum += Math.sqrt(x + 2.0);
            sum += Math.sqrt(x + 3.0);
            x += 4.0;
        }
        for (; i < count; i++) {
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
