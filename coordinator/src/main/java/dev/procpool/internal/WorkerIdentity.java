package dev.procpool.internal;

import dev.procpool.protocol.Handshake;
import dev.procpool.spi.LaunchedWorker;
import java.time.Duration;

/**
 * Who one worker is, for messages and for users: its id, its pid and host (as the launcher knew them until the
 * worker's handshake tells its own), and how long it took from launch to handshake. Written once, by its connection's
 * reader thread at the handshake; read from any thread.
 */
final class WorkerIdentity {

    private final int id;
    private final long launchedNanos = System.nanoTime();
    /** The pid the worker reported in its handshake; until then, the launcher's. */
    private volatile long pid;
    /** Where it runs: the launcher's name for the place, or if it has none, what the worker's handshake said. */
    private volatile String host;
    /** From launch to handshake; zero until then. */
    private volatile long launchNanos;
    /** Whether the handshake arrived. */
    private volatile boolean identified;

    /** A worker just launched: what the launcher knows of it. */
    WorkerIdentity(int id, LaunchedWorker process) {
        this.id = id;
        this.pid = process.pid();
        this.host = process.host();
    }

    /** The worker's handshake arrived: it told its own pid, and its host, kept if the launcher named none. */
    void identified(Handshake handshake) {
        pid = handshake.pid();
        launchNanos = System.nanoTime() - launchedNanos;
        identified = true;
        if (host.isEmpty()) {
            host = handshake.host();
        }
    }

    int id() {
        return id;
    }

    long pid() {
        return pid;
    }

    /** Where the worker runs. */
    String host() {
        return host;
    }

    /** From launch to handshake; zero until the handshake. */
    Duration launchTime() {
        return Duration.ofNanos(launchNanos);
    }

    /**
     * {@code worker 3 (pid 4711)}, with the host for a worker elsewhere: how messages name this worker. Before its
     * handshake, a worker that is not a local one has only the pid of what the launcher started here ({@code ssh},
     * {@code srun}), and is named so: {@code worker 3 (pid 4711 here, starting on node1)}, or without the host where
     * the launcher does not know it.
     */
    String describe() {
        String where = host;
        if ("localhost".equals(where)) {
            return "worker " + id + " (pid " + pid + ")";
        }
        if (!identified) {
            String launched = pid > 0 ? "pid " + pid + " here, starting" : "starting";
            return "worker " + id + " (" + launched + (where.isEmpty() ? "" : " on " + where) + ")";
        }
        return "worker " + id + " (pid " + pid + (where.isEmpty() ? "" : " on " + where) + ")";
    }
}
