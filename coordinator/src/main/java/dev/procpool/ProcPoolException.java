package dev.procpool;

/** The root of procpool's exceptions: unchecked, each subtype carrying typed fields about what failed where. */
public class ProcPoolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ProcPoolException(String message) {
        super(message);
    }

    public ProcPoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
