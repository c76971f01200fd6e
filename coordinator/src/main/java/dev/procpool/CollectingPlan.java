package dev.procpool;

import dev.procpool.job.Job;
import dev.procpool.protocol.FunctionJob;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A function's inputs as tasks, its outputs collected in input order (a null output too): what {@code map} drives. Not
 * thread-safe: the thread that called {@code map} alone touches it.
 */
final class CollectingPlan<I, O> implements JobDriver.Plan<I> {

    private final FunctionJob<I, O> function;
    private final List<? extends I> inputs;
    private final Object[] outputs;
    private int next;

    CollectingPlan(FunctionJob<I, O> function, List<? extends I> inputs) {
        this.function = function;
        this.inputs = inputs;
        this.outputs = new Object[inputs.size()];
    }

    @Override
    public Job<I, ?> job() {
        return function;
    }

    @Override
    public int count() {
        return outputs.length;
    }

    @Override
    public I task(int index) {
        return inputs.get(index);
    }

    @Override
    public void fold(Object result) {
        outputs[next++] = result == JobDriver.NULL ? null : result;
    }

    @Override
    public boolean nullAllowed() {
        return true;
    }

    /** The outputs, in input order; unmodifiable. */
    @SuppressWarnings("unchecked")
    List<O> outputs() {
        return (List<O>) Collections.unmodifiableList(Arrays.asList(outputs));
    }
}
