package dev.procpool.protocol;

/**
 * A message could not be encoded (an unregistered class in it, or a frame over the size limit). Nothing was
 * written, so the channel is still usable; only this message is lost.
 */
public class EncodingException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean tooLarge;
    private final long bytes;

    /**
     * @param message what could not be encoded, and why
     * @param tooLarge whether it was too large for a frame (rather than of a type that cannot travel)
     * @param bytes the message's size encoded, when it was too large; -1 if unknown
     */
    public EncodingException(String message, boolean tooLarge, long bytes, Throwable cause) {
        super(message, cause);
        this.tooLarge = tooLarge;
        this.bytes = bytes;
    }

    /** Whether the message was too large for a frame, rather than of a type that cannot travel. */
    public boolean tooLarge() {
        return tooLarge;
    }

    /** The message's size encoded, when it was too large for a frame; -1 if unknown. */
    public long bytes() {
        return bytes;
    }
}
