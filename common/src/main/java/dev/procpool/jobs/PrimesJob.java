package dev.procpool.jobs;

import dev.procpool.job.LongSum;
import dev.procpool.job.Range;
import dev.procpool.job.RangeJob;
import java.util.Arrays;

/**
 * The count of primes below {@code size}, each task sieving its own range segment by segment. Stateless.
 *
 * <p>Every task sieves with the primes up to the square root of its range's end, which it computes itself: that
 * costs microseconds and keeps tasks independent of each other and of any shared state.
 */
public final class PrimesJob implements RangeJob<Long>, LongSum<Range> {

    /** Odd numbers per sieve segment: 256 KiB of flags, which stays in a core's L2 cache. */
    private static final int SEGMENT = 1 << 18;

    /** Keeps the base primes (up to the square root) in one small int array. */
    private static final long MAX_SIZE = 1_000_000_000_000L;

    @Override
    public String name() {
        return "primes";
    }

    @Override
    public String description() {
        return "count of primes below size (segmented sieve)";
    }

    @Override
    public long defaultSize() {
        return 3_000_000_000L;
    }

    @Override
    public long maxSize() {
        return MAX_SIZE;
    }

    @Override
    public Long compute(Range range) {
        return countPrimes(range.from(), range.to());
    }

    /** The number of primes p with {@code from <= p < to}. */
    static long countPrimes(long from, long to) {
        long count = (from <= 2 && 2 < to) ? 1 : 0;
        // Sieve the odd numbers >= 3 only: index k of a segment stands for the number first + 2k.
        long first = Math.max(from, 3) | 1;
        if (first >= to) {
            return count;
        }
        int[] basePrimes = oddPrimesUpTo((int) Math.sqrt((double) (to - 1)) + 1);
        boolean[] composite = new boolean[SEGMENT];
        for (long segmentStart = first; segmentStart < to; segmentStart += 2L * SEGMENT) {
            int slots = (int) Math.min(SEGMENT, (to - segmentStart + 1) / 2);
            Arrays.fill(composite, 0, slots, false);
            long segmentEnd = segmentStart + 2L * slots; // exclusive
            for (int p : basePrimes) {
                long square = (long) p * p;
                if (square >= segmentEnd) {
                    break;
                }
                long multiple = Math.max(square, (segmentStart + p - 1) / p * p);
                if ((multiple & 1) == 0) {
                    multiple += p;
                }
                for (long k = (multiple - segmentStart) / 2; k < slots; k += p) {
                    composite[(int) k] = true;
                }
            }
            for (int k = 0; k < slots; k++) {
                if (!composite[k]) {
                    count++;
                }
            }
        }
        return count;
    }

    /** The odd primes up to and including {@code limit}, by a plain sieve. */
    private static int[] oddPrimesUpTo(int limit) {
        boolean[] composite = new boolean[limit + 1];
        int[] primes = new int[Math.max(16, (int) (1.3 * limit / Math.max(1, Math.log(limit))) + 16)];
        int found = 0;
        for (int n = 3; n <= limit; n += 2) {
            if (!composite[n]) {
                primes[found++] = n;
                for (long m = (long) n * n; m <= limit; m += 2L * n) {
                    composite[(int) m] = true;
                }
            }
        }
        return Arrays.copyOf(primes, found);
    }
}
