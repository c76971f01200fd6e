package dev.procpool.internal;

import dev.procpool.protocol.SharedValue;
import dev.procpool.protocol.WireFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The values a pool has shared with its workers: each checked and its classes registered, kept in the pool's
 * {@link dev.procpool.protocol.SharedStore} under an id, and, for a large primitive array and workers on this machine,
 * written to a file they map ({@link SharedFiles}); the files go when the pool closes. What each worker has been sent
 * is the {@link TicketDelivery}'s to know. Thread-safe.
 */
final class PoolShares {

    private final WireFormat format;
    private final JobTickets tickets;
    /** Whether workers run on this machine, so they can map the files large arrays are written to. */
    private final boolean localWorkers;
    private final Consumer<String> notices;
    private final SharedFiles files = new SharedFiles();
    private final AtomicLong nextId = new AtomicLong();

    PoolShares(WireFormat format, JobTickets tickets, boolean localWorkers, Consumer<String> notices) {
        this.format = format;
        this.tickets = tickets;
        this.localWorkers = localWorkers;
        this.notices = notices;
    }

    /**
     * Shares a value: the handle a job or function holds, the value sent to each worker once.
     *
     * @throws IllegalArgumentException if the value cannot travel
     */
    <T> SharedValue<T> share(T value) {
        tickets.registerShared(value);
        SharedValue.Element element = SharedValue.Element.of(value);
        Path file = null;
        if (element != null && localWorkers && SharedFiles.large(SharedFiles.bytesOf(value, element))) {
            try {
                file = files.write(value, element);
            } catch (IOException e) {
                notices.accept("could not write a shared array to a file for the workers to map (" + e.getMessage()
                        + "); sending it to each worker through its pipe instead");
            }
        }
        SharedValue<T> shared = SharedValue.pooled(nextId.incrementAndGet(), value, file);
        format.shared().put(shared);
        return shared;
    }

    /** Deletes the files of shared arrays; workers that mapped one keep their mapping. */
    void close() {
        files.deleteAll();
    }
}
