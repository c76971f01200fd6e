package dev.procpool.internal;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finds workers that stopped answering: sends each ready worker a heartbeat every period (whose answer also says what
 * the worker's process has used), and
 * kills one whose heartbeat went unanswered, or whose input stayed blocked, for longer than the timeout. Its end is
 * then a crash like any other: the task it was computing runs again within the retries. A long task never looks
 * dead, because workers answer heartbeats from a thread of their own. Each look also lets the launcher note the
 * processes each worker started, to end them with it. Runs on the pool's scheduler, one look at a time.
 */
final class LivenessWatch implements Runnable {

    private final Duration timeout;
    private final Duration period;
    private final Supplier<List<WorkerConnection>> workers;
    private final AtomicLong heartbeats;

    /**
     * @param timeout how long a heartbeat may go unanswered, or a write stay blocked
     * @param period how often each worker gets a heartbeat; also how often this watch runs
     * @param heartbeats numbers the heartbeats, shared with whoever else asks workers for a report
     */
    LivenessWatch(Duration timeout, Duration period, Supplier<List<WorkerConnection>> workers,
            AtomicLong heartbeats) {
        this.timeout = timeout;
        this.period = period;
        this.workers = workers;
        this.heartbeats = heartbeats;
    }

    /** How often to look, for a given timeout: four times per timeout, and at least once a second. */
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
            } else if (worker.liveness().heartbeatDue(period)) {
                worker.input().sendHeartbeat(heartbeats.incrementAndGet());
            }
        }
    }
}
