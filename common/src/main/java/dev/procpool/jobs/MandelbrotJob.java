package dev.procpool.jobs;

import dev.procpool.job.LongSum;
import dev.procpool.job.Range;
import java.util.List;

/**
 * The total escape-iteration count over a {@code size x size} grid of the Mandelbrot set, split into bands of
 * rows, each point iterated at most {@code maxIterations} times (1,000 by default). Immutable.
 *
 * <p>Points inside the set cost the full iteration limit and points far outside cost one or two, so bands
 * through the middle of the grid cost far more than bands at its edges: a job of very uneven tasks, which shows
 * whether load balancing works.
 */
public record MandelbrotJob(int maxIterations) implements LongSum<MandelbrotJob.Rows> {

    /** Iterations after which a point counts as inside the set, by default. */
    static final int MAX_ITERATIONS = 1_000;

    private static final double MIN_RE = -2.0;
    private static final double MAX_RE = 0.5;
    private static final double MIN_IM = -1.25;
    private static final double MAX_IM = 1.25;

    /** A band of rows {@code [from, to)} of a {@code size x size} grid. */
    public record Rows(int size, int from, int to) {

        public Rows {
            if (size < 1 || from < 0 || to < from || to > size) {
                throw new IllegalArgumentException("rows [" + from + ", " + to + ") do not fit a grid of " + size);
            }
        }

        @Override
        public String toString() {
            return "rows [" + from + ", " + to + ") of " + size + "x" + size;
        }
    }

    /**
     * @param maxIterations iterations after which a point counts as inside the set, from 1 to 1,000,000
     */
    public MandelbrotJob {
        if (maxIterations < 1 || maxIterations > 1_000_000) {
            throw new IllegalArgumentException("maxIterations must be between 1 and 1000000, was " + maxIterations);
        }
    }

    /** At most 1,000 iterations a point: the job {@code --job=mandelbrot} runs. */
    public MandelbrotJob() {
        this(MAX_ITERATIONS);
    }

    @Override
    public String name() {
        return "mandelbrot";
    }

    @Override
    public String description() {
        return "escape iterations summed over a size x size Mandelbrot grid, split by rows (uneven tasks)";
    }

    @Override
    public long defaultSize() {
        return 2_000;
    }

    @Override
    public long maxSize() {
        return 100_000;
    }

    @Override
    public int taskCount(long size, int requested) {
        return Range.partCount(size, requested);
    }

    @Override
    public Rows task(long size, int taskCount, int index) {
        Range range = Range.part(0, size, taskCount, index);
        return new Rows((int) size, (int) range.from(), (int) range.to());
    }

    @Override
    public Long compute(Rows rows) {
        int size = rows.size();
        double reStep = (MAX_RE - MIN_RE) / size;
        double imStep = (MAX_IM - MIN_IM) / size;
        long total = 0;
        for (int y = rows.from(); y < rows.to(); y++) {
            double ci = MIN_IM + y * imStep;
            for (int x = 0; x < size; x++) {
                total += escapeIterations(MIN_RE + x * reStep, ci, maxIterations);
            }
        }
        return total;
    }

    static int escapeIterations(double cr, double ci, int maxIterations) {
        double zr = 0;
        double zi = 0;
        int n = 0;
        while (n < maxIterations) {
            double zr2 = zr * zr;
            double zi2 = zi * zi;
            if (zr2 + zi2 > 4.0) {
                break;
            }
            zi = 2 * zr * zi + ci;
            zr = zr2 - zi2 + cr;
            n++;
        }
        return n;
    }

    @Override
    public List<Class<?>> wireTypes() {
        return List.of(Rows.class);
    }
}
