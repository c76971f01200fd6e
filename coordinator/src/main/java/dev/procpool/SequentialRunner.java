package dev.procpool;

import dev.procpool.internal.TaskCallback;
import dev.procpool.internal.TaskSink;
import dev.procpool.job.Job;
import java.util.List;

/**
 * Computes each task on the calling thread, inside {@link #submit} or {@link #run}: the baseline every other runner
 * is measured against. Thread-safe (it holds no state beyond the closed flag).
 */
public final class SequentialRunner extends AbstractRunner {

    private volatile boolean closed;
    private final TaskSink sink = new CallingThread();

    @Override
    public Mode mode() {
        return Mode.SEQUENTIAL;
    }

    @Override
    public int workers() {
        return 1;
    }

    @Override
    TaskSink sink() {
        return sink;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Computes each task as it is handed over, and stops once the run no longer wants the rest. */
    private final class CallingThread implements TaskSink {

        @Override
        public <T> void execute(Job<T, ?> job, List<T> tasks, List<? extends TaskCallback> callbacks) {
            if (closed) {
                throw new PoolClosedException("the sequential runner is closed");
            }
            for (int i = 0; i < tasks.size(); i++) {
                TaskCallback callback = callbacks.get(i);
                if (callback.abandoned()) {
                    continue;
                }
                T task = tasks.get(i);
                Object value;
                try {
                    value = job.compute(task);
                } catch (Exception e) {
                    callback.failed(new TaskFailedException(job.name(), String.valueOf(task), "the calling thread", e));
                    continue;
                }
                callback.succeeded(value);
            }
        }
    }
}
