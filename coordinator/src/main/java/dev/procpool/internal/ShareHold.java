package dev.procpool.internal;

import dev.procpool.job.Job;
import dev.procpool.protocol.SharedValue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One call's hold on the shared values its job or function holds, from the call ({@link #take}) until the call is done
 * ({@link #close()}): a value closed meanwhile stays readable for the whole call, and is let go of when the last call
 * that holds it is done. Thread-safe: any thread may close it, and only the first close counts.
 */
public final class ShareHold implements AutoCloseable {

    /** The hold of a call whose job holds no shared value. */
    private static final ShareHold NONE = new ShareHold(List.of());

    private final List<SharedValue<?>> shares;
    private final AtomicBoolean done = new AtomicBoolean();

    /** Holds {@code shares}, each held once already with {@link SharedValue#addHold()}. */
    private ShareHold(List<SharedValue<?>> shares) {
        this.shares = List.copyOf(shares);
    }

    /**
     * Takes a call's hold on every shared value {@code job} (or the function it runs) holds, as far as records show
     * them ({@link ClosedShareCheck}). A close on another thread at the same moment comes either before (the call is
     * refused) or after (the call reads the values).
     *
     * @throws dev.procpool.JobNotSendableException if a value it holds was closed: which one, and to share the value
     *     again; nothing is held then (the holds taken on the values before it are given back)
     */
    public static ShareHold take(Job<?, ?> job) {
        List<SharedValue<?>> shares = ClosedShareCheck.sharesOf(job);
        if (shares.isEmpty()) {
            return NONE;
        }
        List<SharedValue<?>> held = new ArrayList<>(shares.size());
        for (SharedValue<?> shared : shares) {
            if (!shared.addHold()) {
                new ShareHold(held).close();
                throw ClosedShareCheck.refusal(job, shared);
            }
            held.add(shared);
        }
        return new ShareHold(held);
    }

    /** The call is done: gives back each hold once; a value closed meanwhile is let go of if no call holds it. */
    @Override
    public void close() {
        if (done.compareAndSet(false, true)) {
            shares.forEach(SharedValue::removeHold);
        }
    }
}
