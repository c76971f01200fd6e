package dev.procpool.bench;

import java.util.Arrays;

/**
 * Repeated measurements of one quantity, summarised as median and range. Immutable.
 *
 * @param values the measurements, in the order taken
 */
public record Samples(double[] values) {

    public Samples {
        if (values.length == 0) {
            throw new IllegalArgumentException("no measurements");
        }
        values = values.clone();
    }

    public double median() {
        double[] sorted = sorted();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    public double min() {
        return sorted()[0];
    }

    public double max() {
        double[] sorted = sorted();
        return sorted[sorted.length - 1];
    }

    /**
     * Each repetition's value over the same repetition's {@code reference}: for two quantities measured side by
     * side in every repetition, under the same conditions.
     */
    public Samples dividedBy(Samples reference) {
        if (reference.values.length != values.length) {
            throw new IllegalArgumentException("reference has " + reference.values.length + " repetitions, not "
                    + values.length);
        }
        double[] ratios = new double[values.length];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = values[i] / reference.values[i];
        }
        return new Samples(ratios);
    }

    /**
     * This median over {@code reference}'s, one value: for quantities measured apart, whose repetitions do not
     * pair up.
     */
    public Samples medianOver(Samples reference) {
        return new Samples(new double[] {median() / reference.median()});
    }

    private double[] sorted() {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Samples that && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Samples" + Arrays.toString(values);
    }
}
