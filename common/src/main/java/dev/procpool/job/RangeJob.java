package dev.procpool.job;

/**
 * A job over the numbers {@code [first(), size)}, split into contiguous ranges of nearly equal length: the split
 * half of most numeric jobs, so that an implementation only says what to compute on a range and how to combine. An
 * interface, so that a record can be one: {@code record ScaledJob(long factor) implements RangeJob<Long>,
 * LongSum<Range>}. Implementations must be immutable, as for any {@link Job}.
 *
 * @param <R> the result type
 */
public interface RangeJob<R> extends Job<Range, R> {

    /** The first number the job covers; 0 unless overridden. */
    default long first() {
        return 0;
    }

    @Override
    default int taskCount(long size, int requested) {
        return Range.partCount(Math.max(0, size - first()), requested);
    }

    @Override
    default Range task(long size, int taskCount, int index) {
        return Range.part(first(), Math.max(first(), size), taskCount, index);
    }
}
