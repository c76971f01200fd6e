package dev.procpool;

/**
 * One output of a function applied to many inputs, handed out as it completed (see
 * {@link Runner#mapAsCompleted}): which input it came from, by position and value, and the output. Immutable if the
 * values are.
 *
 * @param index the input's position among the inputs, from 0
 * @param input the input
 * @param output what the function returned for it
 */
public record Completed<I, O>(int index, I input, O output) {
}
