package dev.procpool.internal;

import dev.procpool.protocol.EncodingException;
import dev.procpool.protocol.Forget;
import dev.procpool.protocol.ShareFile;
import dev.procpool.protocol.ShareValue;
import dev.procpool.protocol.SharedValue;
import dev.procpool.protocol.TypeDefinitions;
import dev.procpool.protocol.Unshare;
import dev.procpool.protocol.WireFormat;
import dev.procpool.protocol.WireType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Sends each worker what it must know before a job's tasks: the classes the pool's table has added since the worker
 * last heard ({@link TypeDefinitions}), the values the job holds a share of and the worker lacks ({@link ShareValue},
 * or {@link ShareFile} for a large array written to a file), then the job's definition, once. Remembers per worker
 * what it was sent; past {@link #MAX_JOBS_PER_WORKER} jobs or {@link #MAX_JOB_BYTES_PER_WORKER} bytes of them, a worker
 * is told to forget the oldest ones, and is sent a forgotten job again if its tasks come again. A shared value that was
 * closed is withdrawn from each worker that has it ({@link Unshare}) before the next jobs it is sent, and a job that
 * holds one is sent no more; its id is kept only by the workers still to be told, so a long-lived pool that shares
 * and closes many values keeps none of them. A worker that joins (a replacement, say) is sent the jobs used last at once
 * ({@link #welcome}), so that it makes them before its first tasks arrive. Used by the dispatcher's one sending thread
 * at a time, but for {@link #closed}; its books are per worker, and a worker's are dropped when it ends.
 */
final class TicketDelivery {

    /** Jobs a worker holds at most: each is a small object, but a pool may see a new record value per call. */
    static final int MAX_JOBS_PER_WORKER = 256;
    /** Bytes of job definitions a worker holds at most: a record job may hold up to a frame of data. */
    static final long MAX_JOB_BYTES_PER_WORKER = 32L << 20;
    /** Jobs a joining worker is sent at once: those used last. */
    static final int WELCOMED_JOBS = 8;

    private final WireFormat format;
    private final Map<WorkerConnection, Sent> sent = new ConcurrentHashMap<>();
    /** The jobs sent last, least recent first; only the sending thread touches it. */
    private final LinkedHashSet<JobTicket> recent = new LinkedHashSet<>();
    /** The ids of the shared values closed since the sending thread last looked; added to by any thread. */
    private final Queue<Long> newlyClosed = new ConcurrentLinkedQueue<>();

    /** What one worker has been sent. Only the sending thread touches it. */
    private static final class Sent {
        /** How many of the table's added classes it knows. */
        int types;
        /** The keys of the jobs it holds, oldest first, with the bytes of each definition. */
        final LinkedHashMap<Long, Integer> jobs = new LinkedHashMap<>();
        /** The bytes of the definitions in {@link #jobs}. */
        long jobBytes;
        /** The ids of the shared values it has and that are open, as far as the sending thread has heard. */
        final Set<Long> shares = new HashSet<>();
        /** The ids of the shared values it has that were closed: it is told to let go of them before its next jobs. */
        final Set<Long> closedShares = new HashSet<>();
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
        SharedValue<?> closed = ticket.releasedShare();
        if (closed != null) {
            throw closedShare(ticket, closed);
        }
        recent.remove(ticket);
        recent.add(ticket);
        if (recent.size() > WELCOMED_JOBS) {
            recent.remove(recent.iterator().next());
        }
        Sent known = sent.computeIfAbsent(worker, w -> new Sent());
        sortClosed();
        if (!known.closedShares.isEmpty()) {
            withdrawClosed(worker, known);
        }
        if (known.types < format.addedCount()) {
            List<WireType> types = format.addedFrom(known.types);
            worker.input().send(new TypeDefinitions(WireFormat.FIRST_ADDED_ID + known.types, types));
            known.types += types.size();
        }
        if (known.jobs.containsKey(ticket.key())) {
            return;
        }
        for (SharedValue<?> shared : ticket.shares()) {
            if (!known.shares.contains(shared.id())) {
                byte[] encoded = shared.encoded(); // read once: the value may be released by another thread meanwhile
                if (shared.isReleased() || shared.file() == null && encoded == null) {
                    throw closedShare(ticket, shared);
                }
                worker.input().send(shared.file() != null
                        ? new ShareFile(shared.id(), shared.file().toString(), shared.element(), shared.length())
                        : new ShareValue(shared.id(), encoded));
                // Released since it was read above: the id may have been sorted already, so it is withdrawn from here.
                (shared.isReleased() ? known.closedShares : known.shares).add(shared.id());
            }
        }
        int bytes = ticket.definition().value().length;
        if (known.jobs.size() >= MAX_JOBS_PER_WORKER || known.jobBytes + bytes > MAX_JOB_BYTES_PER_WORKER) {
            forgetOldest(worker, known, bytes);
        }
        worker.input().send(ticket.definition());
        known.jobs.put(ticket.key(), bytes);
        known.jobBytes += bytes;
    }

    private static EncodingException closedShare(JobTicket ticket, SharedValue<?> closed) {
        return new EncodingException(ticket.description() + " holds " + closed + ", which was closed before the task "
                + "could be sent: close a shared value once the tasks that read it are done", false, -1, null);
    }

    /**
     * A shared value was released (closed, and no task left can name it): each worker that has it is told before the
     * next jobs it is sent. Any thread.
     */
    void closed(long id) {
        newlyClosed.add(id);
    }

    /** Moves each newly closed shared value, in the books of every worker that has it, to those to withdraw. */
    private void sortClosed() {
        Long id;
        while ((id = newlyClosed.poll()) != null) {
            for (Sent known : sent.values()) {
                if (known.shares.remove(id)) {
                    known.closedShares.add(id);
                }
            }
        }
    }

    /** Tells the worker to let go of the shared values it has that were closed. */
    private static void withdrawClosed(WorkerConnection worker, Sent known) throws EncodingException, IOException {
        worker.input().send(new Unshare(known.closedShares.stream().mapToLong(Long::longValue).toArray()));
        known.closedShares.clear();
    }

    /** How many ids of closed shared values are kept, waiting to be withdrawn: for tests of the bound. */
    int closedKept() {
        return newlyClosed.size() + sent.values().stream().mapToInt(known -> known.closedShares.size()).sum();
    }

    /**
     * Sends a worker that just joined the jobs used last (none that workers could not make), before any task of theirs.
     *
     * @throws EncodingException if a definition cannot be encoded
     * @throws IOException if the worker's stdin failed
     */
    void welcome(WorkerConnection worker) throws EncodingException, IOException {
        for (JobTicket ticket : List.copyOf(recent)) {
            if (ticket.unavailable() == null && ticket.releasedShare() == null) {
                prepare(worker, ticket);
            }
        }
    }

    /**
     * Tells the worker to forget its oldest jobs, down to half the count and half the bytes it may hold with
     * {@code incoming} bytes more: what it computes now was sent after, or is kept.
     */
    private static void forgetOldest(WorkerConnection worker, Sent known, int incoming)
            throws EncodingException, IOException {
        List<Long> keys = new ArrayList<>();
        Iterator<Map.Entry<Long, Integer>> oldest = known.jobs.entrySet().iterator();
        long bytes = known.jobBytes;
        int count = known.jobs.size();
        while (oldest.hasNext()
                && (count > MAX_JOBS_PER_WORKER / 2 || bytes + incoming > MAX_JOB_BYTES_PER_WORKER / 2)) {
            Map.Entry<Long, Integer> job = oldest.next();
            keys.add(job.getKey());
            bytes -= job.getValue();
            count--;
        }
        worker.input().send(new Forget(keys.stream().mapToLong(Long::longValue).toArray()));
        for (Long key : keys) {
            known.jobs.remove(key);
        }
        known.jobBytes = bytes;
    }

    /** The worker has ended: its books go. */
    void ended(WorkerConnection worker) {
        sent.remove(worker);
    }
}
