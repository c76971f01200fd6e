package dev.procpool;

import dev.procpool.job.Job;

/**
 * A whole job's tasks, split at a size, folded with the job's {@code combine} in task order: what {@code run} drives.
 * Not thread-safe: the thread that called {@code run} alone touches it.
 */
final class CombiningPlan<T, R> implements JobDriver.Plan<T> {

    private final Job<T, R> job;
    private final long size;
    private final int count;
    private R combined;

    CombiningPlan(Job<T, R> job, long size, int count) {
        this.job = job;
        this.size = size;
        this.count = count;
        this.combined = job.identity();
    }

    @Override
    public Job<T, ?> job() {
        return job;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public T task(int index) {
        return job.task(size, count, index);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void fold(Object result) {
        combined = job.combine(combined, (R) result);
    }

    @Override
    public boolean nullAllowed() {
        return false;
    }

    /** What the results folded so far combine to. */
    R combined() {
        return combined;
    }
}
