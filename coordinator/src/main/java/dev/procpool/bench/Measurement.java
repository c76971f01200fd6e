package dev.procpool.bench;

/**
 * One line of the benchmark: a quantity measured several times and, where it is compared with something, its
 * ratio to that. Immutable.
 *
 * @param section the section it belongs to (a to e)
 * @param key a stable machine name, such as {@code task.roundtrip}
 * @param label the human name
 * @param unit the unit of the samples
 * @param samples the measurements
 * @param ratios the ratio to the reference: one per repetition where both were measured in the same repetitions
 *     ({@link Samples#dividedBy}), else the one ratio of the medians ({@link Samples#medianOver}); null when
 *     compared with nothing
 * @param comparedWith what the ratio divides by, in words; null when there is no ratio
 * @param bar the project's bar on the ratio (or on the median itself), or null
 */
public record Measurement(String section, String key, String label, String unit, Samples samples, Samples ratios,
        String comparedWith, Bar bar) {

    /** A measurement compared with nothing. */
    public static Measurement of(String section, String key, String label, String unit, Samples samples) {
        return new Measurement(section, key, label, unit, samples, null, null, null);
    }

    /** Whether the bar is met (judged on medians); true where there is no bar. */
    public boolean passes() {
        if (bar == null) {
            return true;
        }
        return bar.test(bar.appliesToRatio() ? ratios.median() : samples.median());
    }
}
