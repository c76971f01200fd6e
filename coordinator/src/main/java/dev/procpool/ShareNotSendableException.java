package dev.procpool;

/**
 * A value could not be shared with worker processes: it, or something it holds, cannot travel (a collection, a map,
 * a class that is not a record, ...). Nothing was shared; {@code share(value)} on a process pool threw this. The
 * runners on this JVM's threads share any value. The message says what cannot travel and what to use instead.
 */
public final class ShareNotSendableException extends ProcPoolException {

    private static final long serialVersionUID = 1L;

    private final String value;

    /**
     * @param value the value, in one line
     * @param why what in it cannot travel, and what to use instead
     * @param cause the encoder's refusal
     */
    public ShareNotSendableException(String value, String why, Throwable cause) {
        super(why, cause);
        this.value = value;
    }

    /** The value that was not shared, as its {@code toString()} describes it, in one line. */
    public String value() {
        return value;
    }
}
