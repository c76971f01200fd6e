package dev.procpool.jobs;

import dev.procpool.job.LongSum;

/**
 * Tasks that do nothing: what is left is the cost of moving a task to a worker and its result back. The task
 * count is whatever is asked for ({@code --tasks}); the size is not used. Each task returns 1, so the result
 * counts the tasks that ran. Stateless.
 */
public final class NoopJob implements LongSum<Integer> {

    @Override
    public String name() {
        return "noop";
    }

    @Override
    public String description() {
        return "tasks that do nothing, to measure per-task overhead; --tasks sets how many, the size is unused";
    }

    @Override
    public long defaultSize() {
        return 1;
    }

    @Override
    public int taskCount(long size, int requested) {
        if (requested < 1) {
            throw new IllegalArgumentException("requested must be at least 1, was " + requested);
        }
        return requested;
    }

    @Override
    public Integer task(long size, int taskCount, int index) {
        return index;
    }

    @Override
    public Long compute(Integer task) {
        return 1L;
    }
}
