package dev.procpool.internal;

import dev.procpool.FrameTooLargeException;
import dev.procpool.measure.TaskUsage;
import dev.procpool.protocol.SharedValue;
import dev.procpool.protocol.WireFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The values a pool has shared with its workers: each checked and its classes registered, taken as it is at share()
 * (encoded; or, a large primitive array for workers on this machine, written to a file they map: {@link SharedFiles}),
 * and kept in the pool's {@link dev.procpool.protocol.SharedStore} under an id until it is closed or the pool closes.
 * Closing one refuses new calls that hold it; once the calls made before are done (each gives back its
 * {@link ShareHold}) and their tasks have settled, it lets go of it here, deletes its file, and has the
 * {@link TicketDelivery} tell the workers that have it, which is also the one to know what each worker has been sent.
 * Thread-safe.
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
    /**
     * Per shared value, how many tasks submitted and not settled may read it (its readers, as against the calls that
     * hold it, which the value counts itself); guarded by this.
     */
    private final Map<Long, Integer> readers = new HashMap<>();
    /** The shared values closed while tasks could still read them, with their files (or null); guarded by this. */
    private final Map<Long, Path> closing = new HashMap<>();

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
     * @throws dev.procpool.ShareNotSendableException if the value cannot travel
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

    /**
     * Has the shared values {@code ticket} holds kept until each task, a reader of them, settles (or is cancelled):
     * the callbacks to give the tasks in place of {@code callbacks}. Checks and counts under this pool's lock, which
     * closing takes too, so a close that comes after the call's own check ({@link ClosedShareCheck}) either sees these
     * tasks and waits for them, or refuses them here, alike. A call that took a hold on the value before the close
     * ({@link ShareHold}) is not refused after a close: it submits its tasks lazily, and they read the value.
     *
     * @throws dev.procpool.JobNotSendableException if a shared value the job holds was closed and no call made before
     *     the close reads it; nothing is counted
     */
    List<TaskCallback> reading(JobTicket ticket, List<? extends TaskCallback> callbacks) {
        if (ticket.shares().isEmpty()) {
            return List.copyOf(callbacks);
        }
        long[] ids = ticket.shares().stream().mapToLong(SharedValue::id).toArray();
        synchronized (this) {
            SharedValue<?> closed = refused(ticket);
            if (closed != null) {
                throw ClosedShareCheck.refusal(ticket.name(), ticket.definition().className(), ticket.description(),
                        closed);
            }
            for (long id : ids) {
                readers.merge(id, callbacks.size(), Integer::sum);
            }
        }
        List<TaskCallback> reading = new ArrayList<>(callbacks.size());
        for (TaskCallback callback : callbacks) {
            reading.add(new ReadingCallback(callback, ids));
        }
        return reading;
    }

    /**
     * A shared value the job holds that takes no more tasks: closed, and no call made before the close is left to read
     * it (such a call, holding a {@link ShareHold}, may still submit tasks that read it); null if none.
     */
    private static SharedValue<?> refused(JobTicket ticket) {
        for (SharedValue<?> shared : ticket.shares()) {
            if (shared.refusesTasks()) {
                return shared;
            }
        }
        return null;
    }

    /**
     * A shared value was closed and no call reads it any more: once the tasks those calls submitted have settled, it
     * goes from the store and its file from the disk, and workers are told to let go of it. Not at once: a task
     * submitted before may still be queued, or its worker may not have mapped the file yet.
     */
    private void closed(long id, Path file) {
        synchronized (this) {
            if (readers.containsKey(id)) {
                closing.put(id, file);
                return;
            }
        }
        release(id, file);
    }

    /** The tasks that could read these shared values have settled, one task's worth. */
    private void settled(long[] ids) {
        Map<Long, Path> released = new HashMap<>();
        synchronized (this) {
            for (long id : ids) {
                if (readers.merge(id, -1, Integer::sum) == 0) {
                    readers.remove(id);
                    if (closing.containsKey(id)) {
                        released.put(id, closing.remove(id));
                    }
                }
            }
        }
        released.forEach(this::release);
    }

    /** Lets go of a closed shared value that no task can read any more. */
    private void release(long id, Path file) {
        SharedValue<?> shared = format.shared().remove(id);
        if (shared != null) {
            shared.release();
        }
        if (file != null) {
            files.delete(file);
        }
        delivery.closed(id);
    }

    /**
     * A task's callback that counts off, once, the shared values its job holds when the task settles, is cancelled, or
     * is dropped as abandoned.
     */
    private final class ReadingCallback implements TaskCallback {
        private final TaskCallback callback;
        private final long[] ids;
        private final AtomicBoolean done = new AtomicBoolean();

        ReadingCallback(TaskCallback callback, long[] ids) {
            this.callback = callback;
            this.ids = ids;
        }

        private void done() {
            if (done.compareAndSet(false, true)) {
                settled(ids);
            }
        }

        @Override
        public void succeeded(Object value, TaskUsage usage) {
            done();
            callback.succeeded(value, usage);
        }

        @Override
        public void failed(Throwable error) {
            done();
            callback.failed(error);
        }

        @Override
        public boolean abandoned() {
            return callback.abandoned();
        }

        /** An abandoned task never runs nor settles, so it is counted off here, outside the dispatcher's lock. */
        @Override
        public void dropped() {
            done();
            callback.dropped();
        }

        @Override
        public long runId() {
            return callback.runId();
        }

        @Override
        public Duration timeLimit() {
            return callback.timeLimit();
        }

        @Override
        public void whenCancelled(Runnable stop) {
            callback.whenCancelled(() -> {
                done();
                stop.run();
            });
        }
    }

    /** Deletes the files of shared arrays; workers that mapped one keep their mapping. */
    void close() {
        files.deleteAll();
    }
}
