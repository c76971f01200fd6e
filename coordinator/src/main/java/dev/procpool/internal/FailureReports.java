package dev.procpool.internal;

import dev.procpool.TaskTimeoutException;
import dev.procpool.WorkerCrashedException;
import dev.procpool.protocol.Handshake;
import dev.procpool.protocol.Protocol;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The words a pool uses about failures: one-line notices of what it did, and the messages of the exceptions a
 * task fails with. Each names the worker (id and pid), what happened to it, the task, and the last lines the worker
 * wrote to stderr. Stateless.
 */
final class FailureReports {

    private FailureReports() {
    }

    /** {@code worker 2 (pid 4711) was killed by signal 9 (SIGKILL) while computing task ...; retrying it, ...}. */
    static String crashNotice(WorkerConnection worker, WorkerEnd end, List<PendingTask> held, boolean givenUp,
            int retries, String aftermath) {
        StringBuilder notice = new StringBuilder().append(worker.describe()).append(' ').append(end.reason());
        if (held.isEmpty()) {
            notice.append(" while idle; ");
        } else {
            PendingTask running = held.get(0);
            notice.append(" while computing task ").append(running.describe()).append(" of job ").append(running.job())
                    .append(" (crash ").append(running.crashes()).append(" of at most ").append(retries + 1)
                    .append("); ").append(givenUp ? "that task has failed, " : "retrying it, ");
            int others = held.size() - 1;
            if (others > 0) {
                notice.append("moving ").append(others).append(others == 1 ? " queued task" : " queued tasks")
                        .append(" elsewhere, ");
            }
        }
        notice.append(aftermath);
        if (!end.stderrTail().isEmpty()) {
            notice.append("; its last stderr line: ").append(end.stderrTail().get(end.stderrTail().size() - 1));
        }
        return notice.toString();
    }

    /** The failure of a task that took down more workers than its retries allow. */
    static WorkerCrashedException crashed(WorkerConnection worker, WorkerEnd end, PendingTask task, int retries) {
        StringBuilder message = new StringBuilder()
                .append("task ").append(task.describe()).append(" of job ").append(task.job())
                .append(" took down ").append(task.crashes()).append(task.crashes() == 1 ? " worker" : " workers")
                .append(" (retries: ").append(retries).append("); the last, ").append(worker.describe())
                .append(", ").append(end.reason());
        appendTail(message, end.stderrTail());
        return new WorkerCrashedException(message.toString(), task.job(), task.describe(), worker.id(), worker.pid(),
                end.exitStatus(), end.stderrTail());
    }

    /**
     * {@code worker 1 (pid 12) could not start: Unrecognized VM option 'Foo'} when its JVM refused to start, in the
     * JVM's own words; otherwise {@code worker 1 (pid 12) could not start: it exited with status 1; its last stderr
     * lines: ...}.
     */
    static String couldNotStart(WorkerConnection worker, WorkerEnd end) {
        StringBuilder message = new StringBuilder().append(worker.describe()).append(" could not start: ");
        Optional<String> refused = JvmComplaint.of(end.stderrTail());
        if (refused.isPresent()) {
            return message.append(refused.get()).toString();
        }
        message.append("it ").append(end.reason());
        appendTail(message, end.stderrTail());
        return message.toString();
    }

    /** The failure of a task past its time limit. */
    static TaskTimeoutException timedOut(WorkerConnection worker, PendingTask task, Duration limit) {
        return new TaskTimeoutException(task.job(), task.describe(), worker.id(), worker.pid(), limit,
                worker.stderrTail());
    }

    /** The notice of a task past its time limit, and what the pool did. */
    static String timeoutNotice(WorkerConnection worker, PendingTask task, Duration limit, boolean replacing) {
        return "task " + task.describe() + " of job " + task.job() + " ran past its time limit of " + limit.toMillis()
                + " ms on " + worker.describe() + "; killed the worker" + (replacing ? ", starting a replacement" : "");
    }

    /** The notice of a task cancelled while it computed, and what the pool did. */
    static String cancelNotice(WorkerConnection worker, PendingTask task, boolean replacing) {
        return "task " + task.describe() + " of job " + task.job() + " was cancelled while computing on "
                + worker.describe() + "; killed the worker" + (replacing ? ", starting a replacement" : "");
    }

    private static void appendTail(StringBuilder message, List<String> tail) {
        if (tail.isEmpty()) {
            message.append("; it wrote nothing to stderr");
        } else {
            message.append("; its last stderr lines:");
            for (String line : tail) {
                message.append("\n    ").append(line);
            }
        }
    }

    /** Why a worker's handshake was refused: its jar is from another build, or registers other wire types. */
    static String handshakeMismatch(Handshake handshake, long fingerprint) {
        if (handshake.protocolVersion() != Protocol.VERSION) {
            return "speaks protocol version " + handshake.protocolVersion() + ", this coordinator "
                    + Protocol.VERSION + ": its jar is from another build; rebuild both jars";
        }
        return "registers different wire types (fingerprint " + Long.toHexString(handshake.registrationFingerprint())
                + ", this coordinator " + Long.toHexString(fingerprint) + "): its jar is from another "
                + "build or has other jobs on its class path; rebuild both jars and give both the same class path";
    }
}
