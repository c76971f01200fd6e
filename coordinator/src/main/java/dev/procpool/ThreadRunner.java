package dev.procpool;

import dev.procpool.job.Job;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Computes tasks on a fixed pool of daemon threads named {@code procpool-thread-N} in this JVM: the in-process
 * alternative to {@link ProcessPool}. Thread-safe.
 */
public final class ThreadRunner implements Runner {

    private static final long CLOSE_WAIT_MILLIS = 2_000;

    private final int threads;
    private final ExecutorService executor;
    private final Set<CompletableFuture<?>> unfinished = ConcurrentHashMap.newKeySet();

    public ThreadRunner(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        this.threads = threads;
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
    public <T, R> CompletableFuture<R> submit(Job<T, R> job, T task) {
        CompletableFuture<R> future = new CompletableFuture<>();
        unfinished.add(future);
        future.whenComplete((value, error) -> unfinished.remove(future));
        try {
            executor.execute(() -> compute(job, task, future));
        } catch (RejectedExecutionException e) {
            unfinished.remove(future);
            throw new PoolClosedException("the thread runner is closed");
        }
        return future;
    }

    private static <T, R> void compute(Job<T, R> job, T task, CompletableFuture<R> future) {
        if (future.isDone()) {
            return; // cancelled before it started
        }
        try {
            future.complete(job.compute(task));
        } catch (Throwable e) {
            // Even an Error must complete the future, or its caller would wait forever.
            future.completeExceptionally(new TaskFailedException(job.name(), String.valueOf(task),
                    "thread " + Thread.currentThread().getName(), e));
        }
    }

    /**
     * Interrupts running tasks, fails every unfinished future with {@link PoolClosedException}, and waits up to
     * two seconds for the threads to end.
     */
    @Override
    public void close() {
        executor.shutdownNow();
        for (CompletableFuture<?> future : unfinished) {
            future.completeExceptionally(new PoolClosedException("the thread runner closed before the task finished"));
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
            Thread thread = new Thread(runnable, "procpool-thread-" + next.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }
}
