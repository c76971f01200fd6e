package dev.procpool.internal;

import dev.procpool.FrameTooLargeException;
import dev.procpool.protocol.SharedValue;
import dev.procpool.protocol.WireFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The values a pool has shared with its workers: each checked and its classes registered, taken as it is at share()
 * (encoded; or, a large primitive array for workers on this machine, written to a file they map: {@link SharedFiles}),
 * and kept in the pool's {@link dev.procpool.protocol.SharedStore} under an id until it is closed or the pool closes.
 * Closing one lets go of it here, deletes its file, and has the {@link TicketDelivery} tell the workers that have it,
 * which is also the one to know what each worker has been sent. Thread-safe.
 */
final class PoolShares {

    private final WireFormat format;
    private final JobTickets tickets;
    private final TicketDelivery delivery;
    /** Whether workers run on this machine, so they can map the files large arrays are written to. */
    private final boolean localWorkers;
    private final Consumer<String> notices;
    private final SharedFiles files = new SharedFiles();
    private final AtomicLong nextId = new AtomicLong();

    PoolShares(WireFormat format, JobTickets tickets, TicketDelivery delivery, boolean localWorkers,
            Consumer<String> notices) {
        this.format = format;
        this.tickets = tickets;
        this.delivery = delivery;
        this.localWorkers = localWorkers;
        this.notices = notices;
    }

    /**
     * Shares a value as it is now: the handle a job or function holds, the value sent to each worker once.
     *
     * @throws IllegalArgumentException if the value cannot travel
     * @throws FrameTooLargeException if it travels inline and does not fit in a frame
     */
    <T> SharedValue<T> share(T value) {
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
        byte[] encoded = file == null ? tickets.encodeShared(value) : null;
        long id = nextId.incrementAndGet();
        Path written = file;
        SharedValue<T> shared = SharedValue.pooled(id, value, file, encoded, () -> closed(id, written));
        format.shared().put(shared);
        return shared;
    }

    /** A shared value was closed: it goes from the store and its file from the disk, and workers are to be told. */
    private void closed(long id, Path file) {
        format.shared().remove(id);
        if (file != null) {
            files.delete(file);
        }
        delivery.closed(id);
    }

    /** Deletes the files of shared arrays; workers that mapped one keep their mapping. */
    void close() {
        files.deleteAll();
    }
}
