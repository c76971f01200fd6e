package dev.procpool.internal;

import dev.procpool.protocol.Message;

/** What a {@link WorkerConnection} reports, from its reader thread. Implementations must be thread-safe. */
interface WorkerEvents {

    /** The worker's handshake matched; it can take tasks. */
    void ready(WorkerConnection worker);

    /** The worker sent a message. */
    void message(WorkerConnection worker, Message message);

    /** Something went wrong that the pool got over, for its notices (a launcher's call that threw, say). */
    void notice(String message);

    /**
     * The worker's output has ended (or its process has, while something else holds its output): it can take nothing
     * more. Sent once, just before {@link #ended}, which waits for its exit status.
     */
    void outputEnded(WorkerConnection worker);

    /** The worker's process has ended; this is the last event for it, sent exactly once. */
    void ended(WorkerConnection worker, WorkerEnd end);
}
