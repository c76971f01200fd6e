package dev.procpool;

import java.time.Duration;

/**
 * One worker of a process pool, as it stands: where it runs, what its start cost, and what its process has used so
 * far, as the worker itself reports it (once a second, with its heartbeat answers, so that a worker on another
 * machine is measured where it runs). Immutable.
 *
 * @param id the worker's id in its pool
 * @param host where it runs: {@code localhost}, an SSH destination, or a Slurm node
 * @param pid its process id on that host; -1 until it has said
 * @param launch from its launch to its handshake; zero until it is ready
 * @param cpuNanos the CPU time its process has used, at its last report; -1 before the first
 * @param residentBytes its resident set at its last report; -1 before the first
 * @param peakResidentBytes the largest resident set it has reported; -1 before the first
 * @param bytesSent the bytes the pool has written to it so far (tasks, job definitions, shared values sent inline,
 *     heartbeats), counted as they go into its pipe; a shared array it maps from a file is not among them
 */
public record WorkerInfo(int id, String host, long pid, Duration launch, long cpuNanos, long residentBytes,
        long peakResidentBytes, long bytesSent) {

    /** Whether it runs on this machine. */
    public boolean isLocal() {
        return "localhost".equals(host);
    }
}
