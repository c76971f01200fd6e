package dev.procpool.internal;

/**
 * Where a task's outcome goes: exactly one of {@link #succeeded} or {@link #failed} is called, once, from
 * whichever thread settles the task. Implementations must be thread-safe.
 */
public interface TaskCallback {

    void succeeded(Object value);

    void failed(Throwable error);

    /** Whether nobody wants the outcome any more (a cancelled future, a job run that already failed). */
    boolean abandoned();
}
