package dev.procpool.protocol;

/**
 * Both ways: the coordinator asks whether a worker still answers, and the worker sends the same heartbeat back at
 * once, from a thread of its own, whatever its tasks are doing. A worker that stops answering (stopped, frozen, its
 * link half-open) is found this way.
 *
 * @param sequence which heartbeat this is, counted by the coordinator per worker
 */
public record Heartbeat(long sequence) implements Message {
}
