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
 * @param workerCpuSeconds the CPU time the workers used from the end of their start-up until the last compute
 *                         ended: the computes' own; NaN without a pool, or where the system does not say
 */
record RunResult(List<TaskTime> tasks, double totalSeconds, double startupSeconds, double shutdownSeconds,
        List<Long> workerPids, double workerCpuSeconds) {

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

    /** The summed CPU time of the tasks of this family; NaN if any of them was not measured. */
    double cpu(String family) {
        return tasks.stream().filter(t -> t.task().kind().family().equals(family))
                .mapToDouble(TaskTime::cpuSeconds).sum();
    }

    /** How many tasks of this family the run holds. */
    long count(String family) {
        return tasks.stream().filter(t -> t.task().kind().family().equals(family)).count();
    }
}
