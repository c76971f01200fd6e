package dev.procpool;

/** The runner was closed before the task could finish, or a task was submitted after it closed. */
public final class PoolClosedException extends ProcPoolException {

    private static final long serialVersionUID = 1L;

    public PoolClosedException(String message) {
        super(message);
    }
}
