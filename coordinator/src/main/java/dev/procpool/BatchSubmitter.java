package dev.procpool;

import dev.procpool.internal.TaskCallback;
import dev.procpool.job.Job;
import java.util.List;

/**
 * A runner that takes many tasks at once and settles a callback per task instead of a future: the path
 * {@link JobDriver} uses, where a future per task would cost more than a tiny task itself. Package-private:
 * the public API is {@link Runner}.
 */
interface BatchSubmitter {

    /**
     * Queues {@code tasks}, settling {@code callbacks.get(i)} with the outcome of {@code tasks.get(i)}.
     *
     * @throws PoolClosedException if the runner is closed
     */
    <T> void execute(Job<T, ?> job, List<T> tasks, List<? extends TaskCallback> callbacks);
}
