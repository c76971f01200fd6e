package dev.procpool.internal;

import dev.procpool.job.Job;
import java.util.List;

/**
 * Where a runner takes tasks: the one path by which {@code submit} and a whole job run reach any runner. Each task
 * settles its own callback exactly once. Implementations are thread-safe.
 */
public interface TaskSink {

    /**
     * Queues {@code tasks}, each settling {@code callbacks.get(i)} with its outcome. A sink may compute them before
     * it returns (the sequential runner does); a task whose callback is {@link TaskCallback#abandoned() abandoned}
     * by the time its turn comes need not run.
     *
     * @throws dev.procpool.PoolClosedException if the runner is closed; no callback of this call is settled then
     */
    <T> void execute(Job<T, ?> job, List<T> tasks, List<? extends TaskCallback> callbacks);
}
