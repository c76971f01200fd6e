package dev.procpool.internal;

import dev.procpool.protocol.EncodingException;
import dev.procpool.protocol.Forget;
import dev.procpool.protocol.ShareFile;
import dev.procpool.protocol.ShareValue;
import dev.procpool.protocol.SharedValue;
import dev.procpool.protocol.TypeDefinitions;
import dev.procpool.protocol.WireFormat;
import dev.procpool.protocol.WireType;
import java.io.IOException;
import java.lang.reflect.Array;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends each worker what it must know before a job's tasks: the classes the pool's table has added since the worker
 * last heard ({@link TypeDefinitions}), the values the job holds a share of and the worker lacks ({@link ShareValue},
 * or {@link ShareFile} for a large array written to a file), then the job's definition, once. Remembers per worker what it was sent; past
 * {@link #MAX_JOBS_PER_WORKER} jobs, a worker is told to forget the oldest ones, and is sent a forgotten job again if
 * its tasks come again. A worker that joins (a replacement, say) is sent the jobs used last at once
 * ({@link #welcome}), so that it makes them before its first tasks arrive. Used by the dispatcher's one sending thread
 * at a time; its books are per worker, and a worker's are dropped when it ends.
 */
final class TicketDelivery {

    /** Jobs a worker holds at most: each is a small object, but a pool may see a new record value per call. */
    static final int MAX_JOBS_PER_WORKER = 256;
    /** Jobs a joining worker is sent at once: those used last. */
    static final int WELCOMED_JOBS = 8;

    private final WireFormat format;
    private final Map<WorkerConnection, Sent> sent = new ConcurrentHashMap<>();
    /** The jobs sent last, least recent first; only the sending thread touches it. */
    private final LinkedHashSet<JobTicket> recent = new LinkedHashSet<>();

    /** What one worker has been sent. Only the sending thread touches it. */
    private static final class Sent {
        /** How many of the table's added classes it knows. */
        int types;
        /** The keys of the jobs it holds, oldest first. */
        final LinkedHashSet<Long> jobs = new LinkedHashSet<>();
        /** The ids of the shared values it has. */
        final Set<Long> shares = new HashSet<>();
    }

    TicketDelivery(WireFormat format) {
        this.format = format;
    }

    /**
     * Sends {@code worker} the classes it lacks and, if it does not hold it, the definition of {@code ticket}; buffered,
     * for the batch that follows to flush.
     *
     * @throws EncodingException if a definition cannot be encoded (nothing of it was sent)
     * @throws IOException if the worker's stdin failed
     */
    void prepare(WorkerConnection worker, JobTicket ticket) throws EncodingException, IOException {
        recent.remove(ticket);
        recent.add(ticket);
        if (recent.size() > WELCOMED_JOBS) {
            recent.remove(recent.iterator().next());
        }
        Sent known = sent.computeIfAbsent(worker, w -> new Sent());
        if (known.types < format.addedCount()) {
            List<WireType> types = format.addedFrom(known.types);
            worker.input().send(new TypeDefinitions(WireFormat.FIRST_ADDED_ID + known.types, types));
            known.types += types.size();
        }
        if (known.jobs.contains(ticket.key())) {
            return;
        }
        for (SharedValue<?> shared : ticket.shares()) {
            if (!known.shares.contains(shared.id())) {
                worker.input().send(shared.file() != null
                        ? new ShareFile(shared.id(), shared.file().toString(), shared.element(),
                                Array.getLength(shared.get()))
                        : new ShareValue(shared.id(), shared.get()));
                known.shares.add(shared.id());
            }
        }
        if (known.jobs.size() >= MAX_JOBS_PER_WORKER) {
            forgetOldest(worker, known);
        }
        worker.input().send(ticket.definition());
        known.jobs.add(ticket.key());
    }

    /**
     * Sends a worker that just joined the jobs used last (none that workers could not make), before any task of theirs.
     *
     * @throws EncodingException if a definition cannot be encoded
     * @throws IOException if the worker's stdin failed
     */
    void welcome(WorkerConnection worker) throws EncodingException, IOException {
        for (JobTicket ticket : List.copyOf(recent)) {
            if (ticket.unavailable() == null) {
                prepare(worker, ticket);
            }
        }
    }

    /** Tells the worker to forget the older half of its jobs: what it computes now was sent after, or is kept. */
    private static void forgetOldest(WorkerConnection worker, Sent known) throws EncodingException, IOException {
        long[] keys = new long[known.jobs.size() / 2];
        Iterator<Long> oldest = known.jobs.iterator();
        for (int i = 0; i < keys.length; i++) {
            keys[i] = oldest.next();
        }
        worker.input().send(new Forget(keys));
        for (long key : keys) {
            known.jobs.remove(key);
        }
    }

    /** The worker has ended: its books go. */
    void ended(WorkerConnection worker) {
        sent.remove(worker);
    }
}
