package dev.procpool.protocol;

import java.io.IOException;

/**
 * The channel carried something that is not a valid message: stray bytes, a frame over the size limit, a
 * truncated frame, or a payload that does not decode. The channel is unusable afterwards.
 */
public class ProtocolException extends IOException {

    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
