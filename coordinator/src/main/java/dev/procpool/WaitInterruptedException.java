package dev.procpool;

/**
 * The thread waiting for a call's outputs ({@code map}, {@code mapAsCompleted}, a job run) was interrupted, so the
 * call gave up waiting: the thread's interrupt flag is set again, the inputs not started yet are dropped, and the
 * runner stays open for other calls.
 */
public final class WaitInterruptedException extends ProcPoolException {

    private static final long serialVersionUID = 1L;

    public WaitInterruptedException(String message) {
        super(message);
    }
}
