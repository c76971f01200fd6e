package dev.procpool.internal;

import dev.procpool.protocol.SharedValue;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One call's hold on the shared values its job or function holds: counted as one reader of each from the call until
 * {@link #close()}, so that a value closed meanwhile stays readable for the whole call and is let go of when the last
 * call that reads it is done. Made by {@link ClosedShareCheck#read}. Thread-safe: any thread may close it, and only the
 * first close counts.
 */
public final class ShareReaders implements AutoCloseable {

    /** The hold of a call whose job holds no shared value. */
    static final ShareReaders NONE = new ShareReaders(List.of());

    private final List<SharedValue<?>> shares;
    private final AtomicBoolean done = new AtomicBoolean();

    /** Holds {@code shares}, each already counted once with {@link SharedValue#addReader()}. */
    ShareReaders(List<SharedValue<?>> shares) {
        this.shares = List.copyOf(shares);
    }

    /** The call is done: each value is counted off once, and one closed meanwhile is let go of if no call is left. */
    @Override
    public void close() {
        if (done.compareAndSet(false, true)) {
            shares.forEach(SharedValue::removeReader);
        }
    }
}
