package dev.procpool.cli;

import dev.procpool.WorkerInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a pool's workers ran: one host (or Slurm node), how many workers it ran, and what a launch there cost, from
 * a worker's launch to its handshake (the median of that host's workers). Immutable.
 *
 * @param host where the workers ran, as the launcher names it
 * @param workers how many of the pool's workers ran there at the end of the run
 * @param launch the median launch time of those workers
 */
record Placement(String host, int workers, Duration launch) {

    /** The hosts of these workers, in the order first seen; workers not yet ready are left out. */
    static List<Placement> of(List<WorkerInfo> workers) {
        Map<String, List<Duration>> launches = new LinkedHashMap<>();
        for (WorkerInfo worker : workers) {
            if (!worker.launch().isZero()) {
                launches.computeIfAbsent(worker.host(), host -> new ArrayList<>()).add(worker.launch());
            }
        }
        List<Placement> placements = new ArrayList<>();
        launches.forEach((host, times) -> placements.add(new Placement(host, times.size(), median(times))));
        return placements;
    }

    /** Whether every worker ran on this machine, as child processes of this JVM. */
    static boolean allLocal(List<Placement> placements) {
        return placements.stream().allMatch(placement -> placement.host().equals("localhost"));
    }

    private static Duration median(List<Duration> times) {
        List<Duration> sorted = times.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
