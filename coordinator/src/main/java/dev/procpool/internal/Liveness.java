package dev.procpool.internal;

import java.time.Duration;

/**
 * What a worker's connection knows of whether the worker still answers: when it last heard from it, whether a
 * heartbeat is waiting for its answer, and whether a write to it is stuck. Owned by its {@link WorkerConnection};
 * the reader thread, the writers and the {@link LivenessWatch} update it. Thread-safe (volatile fields, each written
 * in one place).
 */
final class Liveness {

    private final Ticker ticker;
    private volatile long lastHeard;
    /** When the heartbeat still unanswered was sent; 0 when none is. */
    private volatile long heartbeatSent;
    /** When the last heartbeat was sent, answered or not. */
    private volatile long lastHeartbeat;
    /** When the write in progress began; 0 when none is. */
    private volatile long writingSince;
    /**
     * When the reader thread began handling a frame (which may mean sending to other workers); 0 while it reads. The
     * worker is not to blame for silence while this side is not listening.
     */
    private volatile long handlingSince;

    Liveness(Ticker ticker) {
        this.ticker = ticker;
        this.lastHeard = ticker.nanoTime();
        this.lastHeartbeat = lastHeard;
    }

    /** A frame arrived: the worker is alive, and any heartbeat is answered. */
    void heard() {
        lastHeard = ticker.nanoTime();
        heartbeatSent = 0;
    }

    /** The reader thread is handling a frame, not reading. */
    void handling() {
        handlingSince = ticker.nanoTime();
    }

    /**
     * The reader thread reads again. A heartbeat still unanswered is timed from now: its answer may have waited in
     * the pipe while this side was busy.
     */
    void handled() {
        handlingSince = 0;
        if (heartbeatSent != 0) {
            heartbeatSent = ticker.nanoTime();
        }
    }

    /** Whether the reader thread is handling a frame rather than reading. */
    boolean isHandling() {
        return handlingSince != 0;
    }

    /** A heartbeat that was due could not be sent (a write was in progress): none is waiting for an answer. */
    void heartbeatNotSent() {
        heartbeatSent = 0;
    }

    /** A heartbeat is about to be sent; marked first, so an answer that beats this call still clears it. */
    void heartbeatSending() {
        heartbeatSent = ticker.nanoTime();
        lastHeartbeat = heartbeatSent;
    }

    void writing() {
        writingSince = ticker.nanoTime();
    }

    void written() {
        writingSince = 0;
    }

    /**
     * Whether it is time for a heartbeat: none unanswered, and none sent for {@code period}. Sent whatever else the
     * worker says meanwhile: the answers also carry what the worker's process has used.
     */
    boolean heartbeatDue(Duration period) {
        return heartbeatSent == 0 && ticker.nanoTime() - lastHeartbeat > period.toNanos();
    }

    /** Why the worker counts as unresponsive after {@code timeout}, in words for its end report; null if it does not. */
    String unresponsive(Duration timeout) {
        long now = ticker.nanoTime();
        long writing = writingSince;
        if (writing != 0 && now - writing > timeout.toNanos()) {
            return "stopped reading its input: a write to it was blocked for " + (now - writing) / 1_000_000 + " ms";
        }
        long sent = heartbeatSent;
        if (sent != 0 && handlingSince == 0 && now - sent > timeout.toNanos()) {
            return "stopped responding: no answer to a heartbeat for " + (now - sent) / 1_000_000 + " ms";
        }
        return null;
    }
}
