package dev.procpool.protocol;

/**
 * A message could not be encoded (an unregistered class in it, or a frame over the size limit). Nothing was
 * written, so the channel is still usable; only this message is lost.
 */
public class EncodingException extends Exception {

    private static final long serialVersionUID = 1L;

    public EncodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
