package dev.procpool.bench;

/**
 * A target from the project's performance goals: a limit on a ratio or on a measured value. Immutable.
 *
 * @param atMost true for "at most {@code limit}", false for "at least"
 * @param limit the limit
 * @param appliesToRatio whether the limit is on the ratio to the reference (else on the median itself)
 */
public record Bar(boolean atMost, double limit, boolean appliesToRatio) {

    public static Bar ratioAtMost(double limit) {
        return new Bar(true, limit, true);
    }

    public static Bar ratioAtLeast(double limit) {
        return new Bar(false, limit, true);
    }

    public static Bar valueAtMost(double limit) {
        return new Bar(true, limit, false);
    }

    public boolean test(double value) {
        return atMost ? value <= limit : value >= limit;
    }

    /** {@code <= 1.10} or {@code >= 0.50}. */
    public String describe() {
        return (atMost ? "<= " : ">= ") + (limit == Math.rint(limit) && !appliesToRatio
                ? String.valueOf((long) limit) : String.format(java.util.Locale.ROOT, "%.2f", limit));
    }
}
