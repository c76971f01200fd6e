package dev.procpool.internal;

import dev.procpool.FrameTooLargeException;
import dev.procpool.JobNotSendableException;
import dev.procpool.ShareNotSendableException;
import dev.procpool.TaskNotSendableException;
import dev.procpool.job.Job;
import dev.procpool.protocol.EncodingException;
import dev.procpool.protocol.FunctionJob;
import dev.procpool.protocol.JobDefinition;
import dev.procpool.protocol.JobEncoder;
import dev.procpool.protocol.OneLine;
import dev.procpool.protocol.WireFormat;
import dev.procpool.protocol.WireKind;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pool's tickets: the job (or function) values its tasks belong to, each encoded once and known by its encoding, so
 * that equal values share a ticket and a changed value (a record whose array was written to) gets a new one. A job
 * without fields is known by its class alone. Thread-safe: encoding takes a lock; a job without fields, once seen,
 * takes none.
 */
final class JobTickets {

    /**
     * Tickets of records kept at most, and the bytes of their encodings at most: past either, the least recently used
     * are dropped (a ticket already handed out stays usable; an equal value later gets a new one).
     */
    static final int MAX_VALUE_TICKETS = 4096;
    static final long MAX_VALUE_TICKET_BYTES = 64L << 20;

    private static final ClassValue<Boolean> STATELESS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return WireKind.of(type) == WireKind.STATELESS;
        }
    };

    private final JobEncoder encoder;
    private final AtomicLong keys = new AtomicLong();
    /** Tickets of jobs without fields, by class. */
    private final Map<Class<?>, JobTicket> jobsByClass = new ConcurrentHashMap<>();
    /** Tickets of functions without fields, by class: a class may be both a job and a function. */
    private final Map<Class<?>, JobTicket> functionsByClass = new ConcurrentHashMap<>();
    /** Least recently used first. Guarded by {@code encoder}, like {@link #valueBytes}. */
    private final LinkedHashMap<Encoding, JobTicket> byValue = new LinkedHashMap<>(16, 0.75f, true);
    /** The bytes of the encodings in {@link #byValue}. */
    private long valueBytes;
    private final int maxFrameBytes;

    /** An encoded job, compared by its bytes. */
    private record Encoding(byte[] bytes) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Encoding that && Arrays.equals(bytes, that.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    /**
     * How long each job or function class's tasks take, shared by all its values; guarded by {@code encoder}. Weak:
     * a class no longer in use goes with its loader.
     */
    private final Map<Class<?>, JobDuration> durations = new WeakHashMap<>();

    JobTickets(WireFormat format, int maxFrameBytes) {
        this.encoder = new JobEncoder(format, maxFrameBytes);
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * The ticket of {@code job}, made (and its classes registered) on its first use.
     *
     * @throws JobNotSendableException if it cannot travel, saying why and what to do
     */
    JobTicket of(Job<?, ?> job) {
        Object travelling = job instanceof FunctionJob<?, ?> function ? function.function() : job;
        Map<Class<?>, JobTicket> byClass = job instanceof FunctionJob<?, ?> ? functionsByClass : jobsByClass;
        Class<?> type = travelling.getClass();
        boolean stateless = STATELESS.get(type);
        if (stateless) {
            JobTicket known = byClass.get(type);
            if (known != null) {
                return known;
            }
        }
        synchronized (encoder) {
            JobEncoder.Encoded encoded;
            try {
                encoded = encoder.encode(job);
            } catch (IllegalArgumentException e) {
                throw new JobNotSendableException(job.name(), type.getName(), e.getMessage(), e.getCause());
            }
            Encoding encoding = new Encoding(encoded.value());
            JobTicket ticket = byValue.get(encoding);
            if (ticket == null) {
                ticket = new JobTicket(new JobDefinition(keys.incrementAndGet(), job.name(), type.getName(),
                        encoded.typeIds(), encoded.value()), JobEncoder.describe(job), encoded.openInputs(),
                        encoded.shares(), durations.computeIfAbsent(type, t -> new JobDuration()));
                byValue.put(encoding, ticket);
                valueBytes += encoding.bytes().length;
                dropLeastRecentlyUsed();
            }
            if (stateless) {
                byClass.put(type, ticket);
            }
            return ticket;
        }
    }

    /** Drops the least recently used tickets of records while there are too many, or their encodings too large. */
    private void dropLeastRecentlyUsed() {
        Iterator<Map.Entry<Encoding, JobTicket>> eldest = byValue.entrySet().iterator();
        while (byValue.size() > 1 && (byValue.size() > MAX_VALUE_TICKETS || valueBytes > MAX_VALUE_TICKET_BYTES)) {
            valueBytes -= eldest.next().getKey().bytes().length;
            eldest.remove();
        }
    }

    /** How many tickets of records are kept, and the bytes of their encodings: for tests of the bounds. */
    long[] keptValueTickets() {
        synchronized (encoder) {
            return new long[] {byValue.size(), valueBytes};
        }
    }

    /**
     * Registers the classes a value to be shared holds, and encodes it as it is now.
     *
     * @throws ShareNotSendableException if something in it cannot travel
     * @throws FrameTooLargeException if it does not fit in a frame
     */
    byte[] encodeShared(Object value) {
        synchronized (encoder) {
            try {
                return encoder.encodeShared(value, "the value to share");
            } catch (IllegalArgumentException e) {
                throw new ShareNotSendableException(OneLine.of(value), e.getMessage(), e);
            } catch (EncodingException e) {
                throw FrameTooLargeException.sharedValue(OneLine.of(value), e.bytes(), maxFrameBytes);
            }
        }
    }

    /**
     * Registers the classes a task holds, where the job's declared task type leaves them to the value.
     *
     * @throws TaskNotSendableException if something in the task cannot travel
     */
    void registerTask(JobTicket ticket, Object task) {
        if (!ticket.openInputs() || task == null) {
            return;
        }
        synchronized (encoder) {
            try {
                encoder.registerValue(task, "it");
            } catch (IllegalArgumentException e) {
                throw new TaskNotSendableException(ticket.name(), OneLine.of(task), e.getMessage(), e);
            }
        }
    }
}
