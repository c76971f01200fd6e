package dev.procpool.job;

/**
 * A half-open range of longs, {@code [from, to)}: the task type of jobs that split a numeric interval.
 * Immutable.
 */
public record Range(long from, long to) {

    public Range {
        checkBounds(from, to);
    }

    /** The length of {@code [from, to)}; throws if the end is before the start or the length overflows a long. */
    private static long checkBounds(long from, long to) {
        if (to < from) {
            throw new IllegalArgumentException("range end " + to + " is before its start " + from);
        }
        long length = to - from;
        if (length < 0) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") holds more than Long.MAX_VALUE values");
        }
        return length;
    }

    /** How many values the range holds. */
    public long length() {
        return to - from;
    }

    /**
     * Part {@code index} of {@code parts} contiguous parts of {@code [from, to)} whose lengths differ by at most
     * one; the parts cover the interval exactly once, in order.
     */
    public static Range part(long from, long to, int parts, int index) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be at least 1, was " + parts);
        }
        if (index < 0 || index >= parts) {
            throw new IllegalArgumentException("index must be in [0, " + parts + "), was " + index);
        }
        long length = checkBounds(from, to);
        long base = length / parts;
        long remainder = length % parts;
        long start = from + base * index + Math.min(index, remainder);
        long end = start + base + (index < remainder ? 1 : 0);
        return new Range(start, end);
    }

    /** How many parts an interval of {@code length} values can be cut into when {@code requested} are asked for. */
    public static int partCount(long length, int requested) {
        if (requested < 1) {
            throw new IllegalArgumentException("requested must be at least 1, was " + requested);
        }
        return (int) Math.max(1, Math.min(requested, length));
    }

    @Override
    public String toString() {
        return "[" + from + ", " + to + ")";
    }
}
