package dev.procpool.internal;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.List;

/**
 * Finds workers that stopped answering: sends a heartbeat to each ready worker that has been quiet for a while, and
 * kills one whose heartbeat went unanswered, or whose input stayed blocked, for longer than the timeout. Its end is
 * then a crash like any other: the task it was computing runs again within the retries. A long task never looks
 * dead, because workers answer heartbeats from a thread of their own. Each look also lets the launcher note the
 * processes each worker started, to end them with it. Runs on the pool's scheduler, one look at a time.
 */
final class LivenessWatch implements Runnable {

    private final Duration timeout;
    private final Duration quiet;
    private final Supplier<List<WorkerConnection>> workers;
    private long sequence;

    /**
     * @param timeout how long a heartbeat may go unanswered, or a write stay blocked
     * @param quiet how long a worker may be silent before it gets a heartbeat; also how often this watch runs
     */
    LivenessWatch(Duration timeout, Duration quiet, Supplier<List<WorkerConnection>> workers) {
        this.timeout = timeout;
        this.quiet = quiet;
        this.workers = workers;
    }

    /** How often to look, for a given timeout: four times per timeout, at most once a second. */
    static Duration period(Duration timeout) {
        Duration quarter = timeout.dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : quarter;
    }

    @Override
    public void run() {
        for (WorkerConnection worker : workers.get()) {
            if (worker.state() != ConnectionState.READY) {
                continue;
            }
            worker.recordDescendants();
            String unresponsive = worker.liveness().unresponsive(timeout);
            if (unresponsive != null) {
                worker.kill(unresponsive);
            } else if (worker.liveness().heartbeatDue(quiet)) {
                worker.sendHeartbeat(++sequence);
            }
        }
    }
}
