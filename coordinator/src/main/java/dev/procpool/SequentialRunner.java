package dev.procpool;

import dev.procpool.protocol.OneLine;
import dev.procpool.internal.TaskCallback;
import dev.procpool.internal.TaskSink;
import dev.procpool.job.Job;
import dev.procpool.measure.TaskUsage;
import dev.procpool.measure.ThreadClock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Computes each task on the calling thread, inside {@link #submit} or {@link #run}: the baseline every other runner
 * is measured against. A job run measures its tasks on that thread (wall, CPU and ready time, tiny tasks by sample;
 * wall time alone if the caller is a virtual thread). Thread-safe (it holds no state beyond the closed flag).
 */
public final class SequentialRunner extends AbstractRunner {

    private volatile boolean closed;
    private final TaskSink sink = new CallingThread();
    private final Consumer<String> notices;

    /** A runner whose notices go to stderr. */
    public SequentialRunner() {
        this(GuardedNotices.STDERR);
    }

    /** @param notices told, one line, which task called {@code System.exit} if one does (it ends this JVM) */
    public SequentialRunner(Consumer<String> notices) {
        this.notices = GuardedNotices.of(Objects.requireNonNull(notices, "notices"));
    }

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
    boolean computesOnCaller() {
        return true;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    boolean isClosed() {
        return closed;
    }

    /** Computes each task as it is handed over, and skips those nobody wants any more (a run that failed). */
    private final class CallingThread implements TaskSink {

        @Override
        public <T> void execute(Job<T, ?> job, List<T> tasks, List<? extends TaskCallback> callbacks) {
            if (closed) {
                throw new PoolClosedException("the sequential runner is closed");
            }
            Stopwatch stopwatch = new Stopwatch();
            for (int i = 0; i < tasks.size(); i++) {
                TaskCallback callback = callbacks.get(i);
                if (callback.dropIfAbandoned()) {
                    continue;
                }
                T task = tasks.get(i);
                stopwatch.start(callback.runId());
                long start = System.nanoTime();
                Object value;
                Throwable thrown = null;
                ExitWatch.jvm().started(job.name(), task, notices);
                try {
                    value = job.compute(task);
                } catch (Throwable e) {
                    // An Error too (a StackOverflowError, say): the task failed, as it would on any other runner.
                    value = null;
                    thrown = e;
                } finally {
                    ExitWatch.jvm().finished();
                }
                Duration limit = callback.timeLimit();
                if (limit != null && System.nanoTime() - start > limit.toNanos()) {
                    // This thread is the caller's: the task could not be stopped, and its outcome is dropped.
                    callback.failed(new TaskTimeoutException(job.name(), OneLine.of(task), "the calling thread", limit,
                            true));
                } else if (thrown != null) {
                    callback.failed(new TaskFailedException(job.name(), OneLine.of(task), "the calling thread", thrown));
                } else {
                    callback.succeeded(value, stopwatch.stop());
                }
            }
        }
    }

    /**
     * The calling thread's clock, kept for the thread's life (its file is closed when the thread and its clock are
     * collected), or the wall clock alone on a virtual thread. Not thread-safe: one per batch, on the calling thread.
     */
    private static final class Stopwatch {
        private static final ThreadLocal<ThreadClock> CLOCKS = ThreadLocal.withInitial(ThreadClock::ofCurrentThread);

        private final ThreadClock clock = Thread.currentThread().isVirtual() ? null : CLOCKS.get();
        private long startNanos;

        void start(long runId) {
            if (clock != null) {
                clock.startTask(runId);
            } else {
                startNanos = System.nanoTime();
            }
        }

        TaskUsage stop() {
            return clock != null ? clock.stopTask() : TaskUsage.wallOnly(System.nanoTime() - startNanos);
        }
    }
}
