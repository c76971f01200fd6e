package dev.procpool.jobs;

import dev.procpool.job.Shared;
import dev.procpool.job.TaskFunction;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The sum of a shared {@code double[]}, read where it lies ({@link Shared#segment()}), times each input: a task that
 * reads much shared data and computes little, so that what sharing costs shows. The bench's measure of sharing.
 * Immutable; its sums are the same bits on every runner, since every runner adds in the same order.
 *
 * @param values the array every task reads
 */
public record SharedSum(Shared<double[]> values) implements TaskFunction<Double, Double> {

    @Override
    public Double apply(Double weight) {
        MemorySegment segment = values.segment();
        long count = segment.byteSize() / Double.BYTES;
        double sum = 0;
        for (long i = 0; i < count; i++) {
            sum += segment.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
        }
        return sum * weight;
    }
}
