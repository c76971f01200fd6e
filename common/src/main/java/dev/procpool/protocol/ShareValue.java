package dev.procpool.protocol;

/**
 * Coordinator to worker: a shared value, inline, under the id jobs and functions refer to it by. Sent once per worker,
 * before the first definition that holds it.
 *
 * @param id the value's id
 * @param value the value
 */
public record ShareValue(long id, Object value) implements Message {
}
