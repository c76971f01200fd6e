package dev.procpool.demo;

import dev.procpool.ProcPoolException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's first run: every task one after another on the calling thread, the computes computed in this JVM,
 * the downloads blocking. Not thread-safe; one run per instance.
 */
final class SequentialRun {

    static final String EXECUTOR = "this thread";

    private final Workload workload;

    SequentialRun(Workload workload) {
        this.workload = workload;
    }

    RunResult run(List<DemoTask> tasks) throws InterruptedException {
        List<TaskTime> times = new ArrayList<>();
        Thread thread = Thread.currentThread();
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        for (DemoTask task : tasks) {
            long taskCpu = cpu.getCurrentThreadCpuTime();
            long taskStart = System.nanoTime();
            String outcome = perform(task);
            long wall = System.nanoTime() - taskStart;
            long used = cpu.getCurrentThreadCpuTime() - taskCpu;
            // -1 where the JVM cannot measure this thread (a virtual one, say).
            double cpuSeconds = taskCpu < 0 ? Double.NaN : seconds(used);
            times.add(new TaskTime(task, EXECUTOR, seconds(wall), cpuSeconds, thread.getName(), thread.isVirtual(),
                    outcome));
        }
        return new RunResult(times, seconds(System.nanoTime() - start), 0, 0, List.of(), Double.NaN);
    }

    private String perform(DemoTask task) throws InterruptedException {
        return switch (task.kind()) {
            case COMPUTE -> workload.compute();
            case ASYNC_DOWNLOAD, BLOCKING_DOWNLOAD -> download(task);
            case WAIT -> workload.waits();
        };
    }

    private String download(DemoTask task) throws InterruptedException {
        try {
            return workload.download(task.number());
        } catch (IOException e) {
            throw new ProcPoolException(task.name() + " failed in the sequential run: " + e.getMessage(), e);
        }
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
