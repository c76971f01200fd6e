package dev.procpool.demo;

import java.util.List;

/**
 * One run of the eleven tasks, as measured. Immutable.
 *
 * @param tasks each task's measurements, in the order of {@link DemoTask#eleven()}
 * @param totalSeconds the run's wall time: for the mixed run from its start until every task had ended and the
 *                     process pool was closed, so the pool's start-up and shutdown are in it
 * @param startupSeconds the process pool's start-up (launch until every worker was ready); 0 without a pool
 * @param shutdownSeconds how long closing the process pool took after the last task; 0 without a pool
 * @param workerPids the pool's worker processes; empty without a pool
 */
record RunResult(List<TaskTime> tasks, double totalSeconds, double startupSeconds, double shutdownSeconds,
        List<Long> workerPids) {

    RunResult {
        tasks = List.copyOf(tasks);
        workerPids = List.copyOf(workerPids);
    }

    /** The longest time of a task of this family ({@code computes}, {@code downloads}, {@code waits}). */
    double longest(String family) {
        return tasks.stream().filter(t -> t.task().kind().family().equals(family))
                .mapToDouble(TaskTime::seconds).max().orElse(0);
    }

    /** The summed time of the tasks of this family. */
    double summed(String family) {
        return tasks.stream().filter(t -> t.task().kind().family().equals(family))
                .mapToDouble(TaskTime::seconds).sum();
    }
}
