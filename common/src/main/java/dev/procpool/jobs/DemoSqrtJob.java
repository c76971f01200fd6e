package dev.procpool.jobs;

import dev.procpool.job.Range;
import dev.procpool.job.RangeJob;

/**
 * The compute of the classic concurrency demo, {@code for i in range(N): math.sqrt(25 ** 25 + .01)}: one square
 * root of 25^25 + .01 per turn, for the turns in {@code [0, size)}; the result sums the roots. Stateless. It is the
 * CPU-bound task of {@code procpool demo}, which runs it in worker processes, so it is a registered job.
 *
 * <p>Written literally in Java the loop takes no time: the operand never changes, so the JIT takes one root and
 * drops the loop (measured here: ten million turns in 0 ms once compiled, where CPython 3.11 spends 0.41-0.47 s).
 * So every turn adds its index to the operand and the roots are summed. In double precision the sum is still the
 * classic's operand, bit for bit (a unit in the last place of 8.9e34 is 2^64, far above any index), so every turn
 * takes the classic's very root; the JIT cannot know that, and computes each one, about 2.2 ns a turn here.
 */
public final class DemoSqrtJob implements RangeJob<Double> {

    /** The classic's operand, which CPython folds into one constant at compile time: 8.881784197001253e34. */
    static final double OPERAND = Math.pow(25, 25) + .01;

    /** Turns per call of the inner loop: enough back-edges for C2 to compile it during the first call. */
    private static final int CHUNK = 1 << 18;

    @Override
    public String name() {
        return "demo-sqrt";
    }

    @Override
    public String description() {
        return "sqrt(25**25 + .01) once per turn in [0, size), summed: the demo's compute";
    }

    /**
     * 2e8 turns: about as long as the classic's ten million turns take CPython (0.45 s here), so that the computes
     * weigh in the demo as they did in the classic.
     */
    @Override
    public long defaultSize() {
        return 200_000_000L;
    }

    @Override
    public Double compute(Range turns) {
        double sum = 0;
        for (long start = turns.from(); start < turns.to(); start += CHUNK) {
            sum = addRoots(sum, start, (int) Math.min(CHUNK, turns.to() - start));
        }
        return sum;
    }

    /** Adds the roots of {@code count} turns from {@code first}, in order, to {@code sum}. */
    private static double addRoots(double sum, long first, int count) {
        // OPERAND + turn rounds to OPERAND for every turn, and so does each step of 1.0: the JIT, which cannot
        // prove it, takes a real root every turn.
        double operand = OPERAND + first;
        for (int i = 0; i < count; i++) {
            sum += Math.sqrt(operand);
            operand += 1.0;
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
