package dev.procpool.protocol;

import dev.procpool.job.Job;
import dev.procpool.job.TaskFunction;

/**
 * A {@link TaskFunction} carried as a {@link Job}, so that every runner runs functions by the path it runs jobs' tasks:
 * each input is a task, and computing it applies the function. It is a record of the function, so it travels as the
 * function does. Only {@link #name()}, {@link #compute} and {@link #format} serve: a function is never split or
 * combined as a whole job. Immutable; thread-safe if the function is.
 *
 * @param function the function
 */
public record FunctionJob<I, O>(TaskFunction<I, O> function) implements Job<I, O> {

    public FunctionJob {
        if (function == null) {
            throw new IllegalArgumentException("function is null");
        }
    }

    /**
     * The function's class name without its package, as messages name it: {@code Scaled}, {@code Outer.Scaled}, or
     * {@code a lambda} for one.
     */
    @Override
    public String name() {
        Class<?> type = function.getClass();
        if (type.isHidden()) {
            return "a lambda";
        }
        String name = type.getName();
        String simple = name.substring(name.lastIndexOf('.') + 1).replace('$', '.');
        return simple.isEmpty() ? name : simple;
    }

    @Override
    public String description() {
        return "the function " + function.getClass().getName();
    }

    @Override
    public long defaultSize() {
        return 1;
    }

    @Override
    public int taskCount(long size, int requested) {
        throw new UnsupportedOperationException("a function is applied to inputs, not split");
    }

    @Override
    public I task(long size, int taskCount, int index) {
        throw new UnsupportedOperationException("a function is applied to inputs, not split");
    }

    @Override
    public O compute(I input) throws Exception {
        return function.apply(input);
    }

    @Override
    public O identity() {
        throw new UnsupportedOperationException("a function's outputs are not combined");
    }

    @Override
    public O combine(O combined, O partial) {
        throw new UnsupportedOperationException("a function's outputs are not combined");
    }
}
