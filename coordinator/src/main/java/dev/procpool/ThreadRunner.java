package dev.procpool;

import dev.procpool.protocol.OneLine;
import dev.procpool.internal.TaskCallback;
import dev.procpool.internal.TaskSink;
import dev.procpool.job.Job;
import dev.procpool.measure.ThreadClock;
import dev.procpool.measure.TaskUsage;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Computes tasks on a fixed pool of daemon threads named {@code procpool-thread-N} in this JVM: the in-process
 * alternative to {@link ProcessPool}. Each thread measures the tasks it runs (wall, CPU and ready time; see
 * {@link JobResult#usage()}), tiny ones by sample. Thread-safe.
 */
public final class ThreadRunner extends AbstractRunner {

    private static final long CLOSE_WAIT_MILLIS = 2_000;
    /** The clock of the pool thread running the current task; set for each pool thread's whole life. */
    private static final ThreadLocal<ThreadClock> CLOCK = new ThreadLocal<>();

    private final int threads;
    private final ExecutorService executor;
    private final Consumer<String> notices;

    /** A runner of {@code threads} threads whose notices go to stderr. */
    public ThreadRunner(int threads) {
        this(threads, GuardedNotices.STDERR);
    }

    /**
     * @param threads how many threads compute tasks
     * @param notices told, one line, which task called {@code System.exit} if one does (it ends this JVM)
     */
    public ThreadRunner(int threads, Consumer<String> notices) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        this.threads = threads;
        this.notices = GuardedNotices.of(Objects.requireNonNull(notices, "notices"));
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), namedDaemons());
    }

    @Override
    public Mode mode() {
        return Mode.THREADS;
    }

    @Override
    public int workers() {
        return threads;
    }

    @Override
    TaskSink sink() {
        return this::execute;
    }

    @Override
    boolean isClosed() {
        return executor.isShutdown();
    }

    /** Queues each task on the pool, settling its callback. */
    private <T> void execute(Job<T, ?> job, List<T> tasks, List<? extends TaskCallback> callbacks) {
        for (int i = 0; i < tasks.size(); i++) {
            try {
                executor.execute(new Queued<>(job, tasks.get(i), callbacks.get(i), notices));
            } catch (RejectedExecutionException e) {
                throw new PoolClosedException("the thread runner is closed");
            }
        }
    }

    /** One queued task; a named type so that {@link #close()} can settle the ones that never started. */
    private record Queued<T>(Job<T, ?> job, T task, TaskCallback callback, Consumer<String> notices)
            implements Runnable {

        @Override
        public void run() {
            if (callback.dropIfAbandoned()) {
                return;
            }
            ThreadClock clock = CLOCK.get();
            clock.startTask(callback.runId());
            LocalTimeLimit limit = LocalTimeLimit.start(callback, job.name(), task);
            Object value;
            ExitWatch.jvm().started(job.name(), task, notices);
            try {
                value = job.compute(task);
            } catch (Throwable e) {
                // Even an Error must settle the task, or its caller would wait forever.
                if (limit == null || limit.finish()) {
                    callback.failed(new TaskFailedException(job.name(), OneLine.of(task),
                            "thread " + Thread.currentThread().getName(), e));
                }
                return;
            } finally {
                ExitWatch.jvm().finished();
            }
            TaskUsage usage = clock.stopTask();
            if (limit == null || limit.finish()) {
                callback.succeeded(value, usage);
            }
        }
    }

    /**
     * Interrupts running tasks, fails every task that never started with {@link PoolClosedException}, and waits
     * up to two seconds for the threads to end.
     */
    @Override
    public void close() {
        for (Runnable never : executor.shutdownNow()) {
            if (never instanceof Queued<?> queued) {
                queued.callback().failed(new PoolClosedException("the thread runner closed before the task started"));
            }
        }
        try {
            executor.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory namedDaemons() {
        AtomicInteger next = new AtomicInteger(1);
        return runnable -> {
            Thread thread = new Thread(() -> {
                try (ThreadClock clock = ThreadClock.ofCurrentThread()) {
                    CLOCK.set(clock);
                    runnable.run();
                } finally {
                    CLOCK.remove();
                }
            }, "procpool-thread-" + next.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }
}
