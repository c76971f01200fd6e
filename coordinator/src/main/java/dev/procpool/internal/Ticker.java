package dev.procpool.internal;

/**
 * A source of nanosecond time, as {@link System#nanoTime()}: injected wherever timing decides something (time
 * limits, start-up deadlines, back-off), so tests can move time instead of waiting for it. Implementations are
 * thread-safe.
 */
@FunctionalInterface
public interface Ticker {

    /** The time in nanoseconds from an arbitrary origin; only differences mean anything. */
    long nanoTime();

    /** The system's monotonic clock. */
    static Ticker system() {
        return System::nanoTime;
    }
}
