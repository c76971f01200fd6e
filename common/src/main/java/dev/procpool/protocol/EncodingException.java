package dev.procpool.protocol;

/**
 * A message could not be encoded (an unregistered class in it, or a frame over the size limit). Nothing was
 * written, so the channel is still usable; only this message is lost.
 */
public class EncodingException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean tooLarge;

    /**
     * @param message what could not be encoded, and why
     * @param tooLarge whether it was too large for a frame (rather than of a type that cannot travel)
     */
    public EncodingException(String message, boolean tooLarge, Throwable cause) {
        super(message, cause);
        this.tooLarge = tooLarge;
    }

    /** Whether the message was too large for a frame, rather than of a type that cannot travel. */
    public boolean tooLarge() {
        return tooLarge;
    }
}
