package dev.procpool.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.job.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the built-in jobs compute, against naive implementations, and that splitting does not change it. */
class JobResultsTest {

    private static final int[] SPLITS = {1, 3, 7, 64};

    // ---- sqrt ----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 10, 1_000, 100_000})
    void sqrt_oneTask_equalsNaiveLoopBitForBit(long size) throws Exception {
        assertEquals(Double.doubleToRawLongBits(naiveSqrtSum(size)),
                Double.doubleToRawLongBits(run(new SqrtJob(), size, 1)));
    }

    @ParameterizedTest
    @ValueSource(longs = {2, 10, 1_000, 100_000})
    void sqrt_anySplit_equalsNaiveLoopWithinRounding(long size) throws Exception {
        double naive = naiveSqrtSum(size);

        for (int tasks : SPLITS) {
            assertEquals(naive, run(new SqrtJob(), size, tasks), naive * 1e-12, tasks + " tasks");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 64})
    void sqrt_sameSplit_computedInAnyOrder_givesTheSameBits(int tasks) throws Exception {
        SqrtJob job = new SqrtJob();
        long size = 100_003;

        double inOrder = run(job, size, tasks);
        double again = run(job, size, tasks);
        double computedBackwards = runComputingBackwards(job, size, tasks);

        assertEquals(Double.doubleToRawLongBits(inOrder), Double.doubleToRawLongBits(again));
        assertEquals(Double.doubleToRawLongBits(inOrder), Double.doubleToRawLongBits(computedBackwards));
    }

    @Test
    void sqrt_format_tellsAdjacentDoublesApart() throws Exception {
        SqrtJob job = new SqrtJob();
        double result = run(job, 1_000, 3);

        assertNotEquals(job.format(result), job.format(Math.nextUp(result)));
        assertEquals(result, Double.parseDouble(job.format(result)));
    }

    // ---- demo-sqrt -----------------------------------------------------------------------------------------

    @Test
    void demoSqrt_operand_isTheClassicsConstant_andTurnsDoNotChangeIt() {
        // What CPython folds 25 ** 25 + .01 into.
        assertEquals(8.881784197001253e34, DemoSqrtJob.OPERAND);
        assertEquals(DemoSqrtJob.OPERAND, DemoSqrtJob.OPERAND + 1e12, "a turn's index vanishes in the operand");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 10, 1_000, 300_000})
    void demoSqrt_oneTask_addsTheClassicsRootOncePerTurn_bitForBit(long turns) throws Exception {
        double root = Math.sqrt(Math.pow(25, 25) + .01);
        double naive = 0;
        for (long turn = 0; turn < turns; turn++) {
            naive += root;
        }

        assertEquals(Double.doubleToRawLongBits(naive), Double.doubleToRawLongBits(run(new DemoSqrtJob(), turns, 1)));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 64})
    void demoSqrt_anySplit_givesTurnsRootsWithinRounding(int tasks) throws Exception {
        double root = Math.sqrt(DemoSqrtJob.OPERAND);

        assertEquals(100_003 * root, run(new DemoSqrtJob(), 100_003, tasks), 100_003 * root * 1e-12);
    }

    // ---- primes --------------------------------------------------------------------------------------------

    @Test
    void countPrimes_fromZero_matchesTrialDivision_upTo2000() {
        long expected = 0;
        for (long to = 0; to <= 2_000; to++) {
            assertEquals(expected, PrimesJob.countPrimes(0, to), "primes below " + to);
            if (isPrime(to)) {
                expected++;
            }
        }
    }

    @Test
    void countPrimes_everySmallRange_matchesTrialDivision() {
        for (long from = 0; from <= 60; from++) {
            for (long to = from; to <= 60; to++) {
                assertEquals(naiveCount(from, to), PrimesJob.countPrimes(from, to), "[" + from + ", " + to + ")");
            }
        }
    }

    @Test
    void countPrimes_randomRanges_matchTrialDivision() {
        SplittableRandom random = new SplittableRandom(20_261_101);
        for (int i = 0; i < 500; i++) {
            long from = random.nextLong(0, 5_000);
            long to = from + random.nextLong(0, 3_000);
            assertEquals(naiveCount(from, to), PrimesJob.countPrimes(from, to), "[" + from + ", " + to + ")");
        }
    }

    @ParameterizedTest(name = "[{0}, {1})")
    @CsvSource({
        // across the first segment boundary of a range sieved from 0 (first = 3, segments of 2^18 odd numbers)
        "524000, 525000", "524290, 524292", "524291, 524293", "1048578, 1048580",
        // a range starting past 0 that spans a whole segment and a boundary of its own
        "1000000, 1525289", "1000001, 1525290",
        // around squares of primes, where the first multiple to strike is p^2 itself
        "1018080, 1018082", "1018081, 1018082", "994008, 994010",
        // far from 0, where each number needs many trial divisors
        "1000000000, 1000002000", "999999937, 999999938",
    })
    void countPrimes_rangesAwayFromZero_matchTrialDivision(long from, long to) {
        assertEquals(naiveCount(from, to), PrimesJob.countPrimes(from, to));
    }

    @Test
    void countPrimes_splitAnywhere_addsUp() {
        SplittableRandom random = new SplittableRandom(7);
        long total = PrimesJob.countPrimes(0, 3_000_000);
        for (int i = 0; i < 20; i++) {
            long cut = random.nextLong(0, 3_000_001);
            assertEquals(total, PrimesJob.countPrimes(0, cut) + PrimesJob.countPrimes(cut, 3_000_000), "cut at " + cut);
        }
    }

    @ParameterizedTest(name = "pi({0}) = {1}")
    @CsvSource({"10, 4", "100, 25", "1000000, 78498", "10000000, 664579"})
    void primes_anySplit_givesTheKnownCount(long size, long expected) throws Exception {
        for (int tasks : SPLITS) {
            assertEquals(expected, run(new PrimesJob(), size, tasks), tasks + " tasks");
        }
    }

    // ---- mandelbrot ----------------------------------------------------------------------------------------

    @Test
    void escapeIterations_insideTheSet_reachTheLimit_outsideEscapeFast() {
        int limit = MandelbrotJob.MAX_ITERATIONS;
        assertEquals(limit, MandelbrotJob.escapeIterations(0, 0, limit));
        assertEquals(limit, MandelbrotJob.escapeIterations(-1, 0, limit));
        assertEquals(7, MandelbrotJob.escapeIterations(-1, 0, 7), "the limit is the job's");
        assertEquals(2, MandelbrotJob.escapeIterations(2, 0, limit));
        assertEquals(3, MandelbrotJob.escapeIterations(1, 0, limit));
        assertEquals(1, MandelbrotJob.escapeIterations(3, 3, limit));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 10, 33, 64})
    void mandelbrot_equalsNaiveGridCount(int size) throws Exception {
        assertEquals(naiveMandelbrot(size), run(new MandelbrotJob(), size, 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 10, 150})
    void mandelbrot_anySplit_givesTheSameCount(int size) throws Exception {
        long whole = run(new MandelbrotJob(), size, 1);

        for (int tasks : SPLITS) {
            assertEquals(whole, run(new MandelbrotJob(), size, tasks), tasks + " tasks");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 20, 40, 80, 160})
    void mandelbrot_rowsMirroredAcrossTheRealAxis_countTheSame(int size) {
        // 2.5 / size is exact in binary for these sizes, so row y and row size - y have imaginary parts that are
        // exact negatives: conjugate points, whose orbits are mirror images.
        MandelbrotJob job = new MandelbrotJob();
        List<Long> rows = new ArrayList<>();
        for (int y = 0; y < size; y++) {
            rows.add(job.compute(new MandelbrotJob.Rows(size, y, y + 1)));
        }

        for (int y = 1; y < size; y++) {
            assertEquals(rows.get(y), rows.get(size - y), "row " + y + " against row " + (size - y));
        }
        assertTrue(rows.get(size / 2) > rows.get(1), "the real axis crosses the set; the edge row barely does");
    }

    @Test
    void rows_outsideTheGrid_areRefused() {
        for (int[] bad : new int[][] {{0, 0, 0}, {10, -1, 5}, {10, 5, 4}, {10, 0, 11}}) {
            assertThrows(IllegalArgumentException.class, () -> new MandelbrotJob.Rows(bad[0], bad[1], bad[2]));
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** Runs {@code job} in the calling thread: its tasks computed and folded in task order. */
    static <T, R> R run(Job<T, R> job, long size, int requested) throws Exception {
        int count = job.taskCount(size, requested);
        R combined = job.identity();
        for (int index = 0; index < count; index++) {
            combined = job.combine(combined, job.compute(job.task(size, count, index)));
        }
        return combined;
    }

    /** Computes the tasks last first, as a pool might finish them, then folds the partials in task order. */
    private static <T, R> R runComputingBackwards(Job<T, R> job, long size, int requested) throws Exception {
        int count = job.taskCount(size, requested);
        List<R> partials = new ArrayList<>();
        for (int index = count - 1; index >= 0; index--) {
            partials.add(0, job.compute(job.task(size, count, index)));
        }
        R combined = job.identity();
        for (R partial : partials) {
            combined = job.combine(combined, partial);
        }
        return combined;
    }

    private static double naiveSqrtSum(long size) {
        double sum = 0;
        for (long i = 1; i < size; i++) {
            sum += Math.sqrt(i);
        }
        return sum;
    }

    private static boolean isPrime(long n) {
        if (n < 2) {
            return false;
        }
        if (n % 2 == 0) {
            return n == 2;
        }
        for (long d = 3; d * d <= n; d += 2) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    private static long naiveCount(long from, long to) {
        long count = 0;
        for (long n = from; n < to; n++) {
            if (isPrime(n)) {
                count++;
            }
        }
        return count;
    }

    /** Escape iterations summed over the grid re in [-2, 0.5), im in [-1.25, 1.25), z -> z^2 + c, |z| > 2 escapes. */
    private static long naiveMandelbrot(int size) {
        double step = 2.5 / size;
        long total = 0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double cr = -2.0 + x * step;
                double ci = -1.25 + y * step;
                double zr = 0;
                double zi = 0;
                int n = 0;
                while (n < 1_000 && zr * zr + zi * zi <= 4.0) {
                    double nextZr = zr * zr - zi * zi + cr;
                    zi = 2 * zr * zi + ci;
                    zr = nextZr;
                    n++;
                }
                total += n;
            }
        }
        return total;
    }
}
