package dev.procpool.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * A throwable flattened for the wire: class name, message, stack frames and cause. Throwables themselves are
 * never serialized (the JDK refuses reflective access to their internals, and deserializing arbitrary exception
 * classes is how streams get exploited); the coordinator rebuilds a local exception from this record.
 */
public record RemoteError(String className, String message, RemoteFrame[] frames, RemoteError cause) {

    /** Causes kept below the top-level error; deeper ones are dropped. */
    public static final int MAX_CAUSE_DEPTH = 8;

    /** Stack frames kept per error; the rest are dropped. */
    public static final int MAX_FRAMES = 256;

    public RemoteError {
        if (className == null) {
            throw new IllegalArgumentException("className is null");
        }
        frames = frames == null ? new RemoteFrame[0] : frames;
    }

    /** The record for {@code throwable} and up to {@link #MAX_CAUSE_DEPTH} of its causes. */
    public static RemoteError of(Throwable throwable) {
        return of(throwable, 0);
    }

    private static RemoteError of(Throwable throwable, int depth) {
        StackTraceElement[] trace = throwable.getStackTrace();
        RemoteFrame[] frames = new RemoteFrame[Math.min(trace.length, MAX_FRAMES)];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = RemoteFrame.of(trace[i]);
        }
        Throwable cause = throwable.getCause();
        RemoteError remoteCause = cause == null || cause == throwable || depth >= MAX_CAUSE_DEPTH
                ? null
                : of(cause, depth + 1);
        return new RemoteError(throwable.getClass().getName(), throwable.getMessage(), frames, remoteCause);
    }

    /** {@code className: message}, or the class name alone, as {@link Throwable#toString()} writes it. */
    public String summary() {
        return message == null ? className : className + ": " + message;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RemoteError that
                && className.equals(that.className)
                && Objects.equals(message, that.message)
                && Arrays.equals(frames, that.frames)
                && Objects.equals(cause, that.cause);
    }

    @Override
    public int hashCode() {
        return Objects.hash(className, message, Arrays.hashCode(frames), cause);
    }

    @Override
    public String toString() {
        return summary();
    }
}
