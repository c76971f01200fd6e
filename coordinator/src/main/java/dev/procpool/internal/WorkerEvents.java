package dev.procpool.internal;

import dev.procpool.protocol.Message;

/** What a {@link WorkerProcess} reports, from its reader thread. Implementations must be thread-safe. */
public interface WorkerEvents {

    /** The worker's handshake matched; it can take tasks. */
    void ready(WorkerProcess worker);

    /** The worker sent a message. */
    void message(WorkerProcess worker, Message message);

    /** The worker's process has ended; this is the last event for it, sent exactly once. */
    void ended(WorkerProcess worker, WorkerEnd end);
}
