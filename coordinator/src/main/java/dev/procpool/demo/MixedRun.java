package dev.procpool.demo;

import dev.procpool.ProcPoolException;
import dev.procpool.ProcessPool;
import dev.procpool.ProcessPoolBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The demo's second run: every task at once, each on the executor that suits it. The waits each get a virtual
 * thread ({@code procpool-demo-wait-N}), the blocking downloads a platform thread ({@code procpool-demo-download-N}),
 * the asynchronous downloads go through {@code HttpClient.sendAsync} with no thread of ours waiting for them, and
 * the computes go to a process pool started by the run. The pool's start-up and shutdown count in the run's total.
 * Not thread-safe; one run per instance.
 */
final class MixedRun {

    static final String WORKER = "worker process";
    /** How long stopping the run's threads may take once every task has ended (or the run failed). */
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final Workload workload;
    private final ProcessPoolBuilder pool;

    /** {@code pool} starts the process pool for the computes, with the settings' worker count. */
    MixedRun(Workload workload, ProcessPoolBuilder pool) {
        this.workload = workload;
        this.pool = pool;
    }

    /**
     * Runs the tasks and returns once all have ended and the pool is closed.
     *
     * @throws ProcPoolException naming the task, if a task failed or the run took longer than {@code limit}
     */
    RunResult run(List<DemoTask> tasks, Duration limit) throws InterruptedException {
        List<CompletableFuture<TaskTime>> times = new ArrayList<>(Collections.nCopies(tasks.size(), null));
        ExecutorService virtualThreads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("procpool-demo-wait-", 1).factory());
        ExecutorService platformThreads = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().name("procpool-demo-download-", 1).daemon(true).factory());
        ProcessPool processes = null;
        long start = System.nanoTime();
        try {
            // What needs no set-up starts first, so that its waiting overlaps the pool's start-up.
            for (int i = 0; i < tasks.size(); i++) {
                DemoTask task = tasks.get(i);
                switch (task.kind()) {
                    case WAIT -> times.set(i, onThread(virtualThreads, task, start, workload::waits));
                    case BLOCKING_DOWNLOAD -> times.set(i, onThread(platformThreads, task, start,
                            () -> workload.download(task.number())));
                    case ASYNC_DOWNLOAD -> times.set(i, workload.downloadAsync(task.number())
                            .thenApply(outcome -> ended(task, start, outcome, Thread.currentThread().getName(),
                                    Thread.currentThread().isVirtual())));
                    case COMPUTE -> { } // once the pool is up
                }
            }
            processes = pool.start();
            Map<Long, Long> cpuAtStart = cpuNanos(processes.workerPids());
            for (int i = 0; i < tasks.size(); i++) {
                DemoTask task = tasks.get(i);
                if (task.kind() == DemoTask.Kind.COMPUTE) {
                    times.set(i, processes.submit(workload.job(), workload.computeTask())
                            .thenApply(sum -> ended(task, start, workload.computed(sum), WORKER, false)));
                }
            }
            awaitAll(tasks, times, limit);
            List<Long> workerPids = processes.workerPids();
            double workerCpu = cpuSince(cpuAtStart, cpuNanos(workerPids));
            long closing = System.nanoTime();
            processes.close();
            long end = System.nanoTime();
            return new RunResult(times.stream().map(CompletableFuture::join).toList(), seconds(end - start),
                    processes.startupTime().toNanos() / 1e9, seconds(end - closing), workerPids, workerCpu);
        } finally {
            if (processes != null) {
                processes.close();
            }
            stop(virtualThreads);
            stop(platformThreads);
        }
    }

    private static void awaitAll(List<DemoTask> tasks, List<CompletableFuture<TaskTime>> times, Duration limit)
            throws InterruptedException {
        try {
            CompletableFuture.allOf(times.toArray(CompletableFuture[]::new)).get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            for (int i = 0; i < times.size(); i++) {
                if (times.get(i).isCompletedExceptionally()) {
                    Throwable cause = times.get(i).exceptionNow();
                    throw new ProcPoolException(tasks.get(i).name() + " failed in the mixed run: " + cause, cause);
                }
            }
            throw new ProcPoolException("the mixed run failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            List<String> late = new ArrayList<>();
            for (int i = 0; i < times.size(); i++) {
                if (!times.get(i).isDone()) {
                    late.add(tasks.get(i).name());
                }
            }
            throw new ProcPoolException(String.format(Locale.ROOT, "the mixed run did not end within %.0f s; "
                    + "still running: %s", limit.toMillis() / 1e3, String.join(", ", late)));
        }
    }

    /** Runs {@code body} on a new thread of {@code threads}; the future completes with its measurements. */
    private static CompletableFuture<TaskTime> onThread(ExecutorService threads, DemoTask task, long start,
            Body body) {
        CompletableFuture<TaskTime> time = new CompletableFuture<>();
        threads.execute(() -> {
            try {
                String outcome = body.perform();
                Thread thread = Thread.currentThread();
                time.complete(ended(task, start, outcome, thread.getName(), thread.isVirtual()));
            } catch (InterruptedException e) {
                // Only stopping a failed run interrupts a task; the thread ends here.
                time.completeExceptionally(e);
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                time.completeExceptionally(e);
            }
        });
        return time;
    }

    private static TaskTime ended(DemoTask task, long start, String outcome, String thread, boolean virtual) {
        return new TaskTime(task, task.kind().executor(), seconds(System.nanoTime() - start), Double.NaN, thread,
                virtual, outcome);
    }

    /** Each worker's CPU time so far, by pid, as the system reports it (in clock ticks of 10 ms on Linux). */
    private static Map<Long, Long> cpuNanos(List<Long> pids) {
        Map<Long, Long> nanos = new HashMap<>();
        for (long pid : pids) {
            ProcessHandle.of(pid).flatMap(process -> process.info().totalCpuDuration())
                    .ifPresent(cpu -> nanos.put(pid, cpu.toNanos()));
        }
        return nanos;
    }

    /** The CPU seconds the workers used between the two readings; NaN unless every worker was read both times. */
    private static double cpuSince(Map<Long, Long> before, Map<Long, Long> after) {
        if (before.isEmpty() || !before.keySet().equals(after.keySet())) {
            return Double.NaN;
        }
        long used = 0;
        for (Map.Entry<Long, Long> worker : after.entrySet()) {
            used += worker.getValue() - before.get(worker.getKey());
        }
        return seconds(used);
    }

    /** Ends the executor's threads (all idle when the run went well) and waits a bounded time for them. */
    private static void stop(ExecutorService threads) {
        threads.shutdownNow();
        try {
            threads.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** A task's work on a thread. */
    @FunctionalInterface
    private interface Body {
        String perform() throws Exception;
    }
}
