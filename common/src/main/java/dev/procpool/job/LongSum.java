package dev.procpool.job;

/**
 * A job whose result is the sum of its tasks' {@code long} results: implement this and the combining is done.
 * Combine it with {@link RangeJob} for a job over a range of numbers, as in
 * {@code class PrimesJob implements RangeJob<Long>, LongSum<Range>}.
 *
 * @param <T> the task type
 */
public interface LongSum<T> extends Job<T, Long> {

    @Override
    default Long identity() {
        return 0L;
    }

    @Override
    default Long combine(Long combined, Long partial) {
        return combined + partial;
    }
}
