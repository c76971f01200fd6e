package dev.procpool.protocol;

/**
 * Both ways: the coordinator asks whether a worker still answers, and the worker sends the heartbeat back at once,
 * from a thread of its own, whatever its tasks are doing, with what its process has used so far. A worker that stops
 * answering (stopped, frozen, its link half-open) is found this way; a worker on another machine is measured this
 * way, since its coordinator cannot look at its process.
 *
 * @param sequence which heartbeat this is, counted by the coordinator per worker
 * @param cpuNanos in an answer, the CPU time the worker's process has used; -1 if unknown, and in a question
 * @param residentBytes in an answer, the worker process's resident set; -1 if unknown, and in a question
 */
public record Heartbeat(long sequence, long cpuNanos, long residentBytes) implements Message {

    /** The coordinator's question. */
    public static Heartbeat asking(long sequence) {
        return new Heartbeat(sequence, -1, -1);
    }
}
