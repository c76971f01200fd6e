package dev.procpool.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import dev.procpool.job.Job;
import dev.procpool.job.JobRegistry;
import dev.procpool.job.Range;
import dev.procpool.job.WireTypes;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Kryo registration table of one build: the messages, the {@link WireTypes#STANDARD standard} value types,
 * then every registered job's {@link Job#wireTypes()} in job-name order, each under a fixed id. Thread-safe, and
 * immutable but for one spare Kryo it hands out once; the {@link Kryo} instances it gives are not thread-safe, so
 * take one per thread or connection.
 *
 * <p>Registration stays required: a stream can only ever instantiate the classes listed here. The
 * {@link #fingerprint()} hashes the table (ids, class names, serializers, each record's components and each enum's
 * constants, and the protocol version), and the handshake compares it, so a worker from another build or with another class path fails loudly at start.
 *
 * <p>Every type a job adds must be a record or an enum: see {@link #of}.
 */
public final class WireFormat {

    private static final int FIRST_MESSAGE_ID = 16;
    private static final int FIRST_VALUE_ID = 32;
    private static final int FIRST_JOB_TYPE_ID = 64;

    static {
        // Kryo 5.6 probes sun.misc.Unsafe when its utilities load, and JDK 24+ prints four warnings about it on
        // stderr, in this JVM and in every worker. procpool uses none of Kryo's Unsafe-based I/O or field access
        // (every wire type has an explicit serializer), so it tells Kryo to leave Unsafe alone, before any Kryo
        // class is initialized. A user who set the property decides for themselves.
        if (System.getProperty("kryo.unsafe") == null) {
            System.setProperty("kryo.unsafe", "false");
        }
    }

    private final List<Class<?>> jobTypes;
    private final long fingerprint;
    /**
     * The Kryo the fingerprint was read from (reading registrations leaves no state behind), handed to the first
     * {@link #newKryo()} call: building a Kryo costs a worker milliseconds of its start-up, and it builds its
     * writer's before its handshake.
     */
    private final AtomicReference<Kryo> spare;

    private WireFormat(List<Class<?>> jobTypes) {
        this.jobTypes = List.copyOf(jobTypes);
        Kryo kryo = buildKryo();
        this.fingerprint = computeFingerprint(kryo);
        this.spare = new AtomicReference<>(kryo);
    }

    /**
     * The format for the jobs of {@code registry}.
     *
     * @throws IllegalArgumentException if a job lists a wire type that is neither a {@link WireTypes#STANDARD
     *         standard} type, a record nor an enum: Kryo's serializers for anything else (other arrays,
     *         collections, maps, and classes it serializes field by field) allocate from a length the peer declares
     *         before checking it, so a few hostile bytes could exhaust the reader's heap
     */
    public static WireFormat of(JobRegistry registry) {
        Set<Class<?>> types = new LinkedHashSet<>();
        for (Job<?, ?> job : registry.jobs()) {
            for (Class<?> type : job.wireTypes()) {
                checkBounded(job, type);
                types.add(type);
            }
        }
        types.removeAll(WireTypes.STANDARD);
        return new WireFormat(new ArrayList<>(types));
    }

    /**
     * Accepts the types whose decoding checks every length against the frame: the standard types (bounded
     * serializers), records (read component by component through the registered serializers) and enums (an ordinal
     * checked against the constants).
     */
    private static void checkBounded(Job<?, ?> job, Class<?> type) {
        if (WireTypes.STANDARD.contains(type) || type.isRecord() || type.isEnum()) {
            return;
        }
        String why;
        if (type.isArray()) {
            why = "Kryo's serializer for that array type allocates";
        } else if (Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type)) {
            why = "Kryo's serializers for collections and maps allocate";
        } else {
            why = "Kryo would encode it field by field, and reading a String field (or many a built-in type) allocates";
        }
        throw new IllegalArgumentException("job '" + job.name() + "' lists " + type.getTypeName()
                + " in wireTypes(): " + why + " from a length the peer declares before checking it, so a few hostile"
                + " bytes could exhaust the heap. Use a record (or an enum) instead, or byte[], int[], long[] or"
                + " double[]");
    }

    /**
     * A Kryo with the whole table registered, for the caller alone (the first call gets the one the fingerprint was
     * read from, unused otherwise); registration stays required and references stay off.
     */
    public Kryo newKryo() {
        Kryo kryo = spare.getAndSet(null);
        return kryo != null ? kryo : buildKryo();
    }

    private Kryo buildKryo() {
        Kryo kryo = new Kryo(new RegisteredClassResolver(), null);
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        kryo.register(TaskBatch.class, new MessageSerializers.TaskBatchSerializer(), FIRST_MESSAGE_ID);
        kryo.register(ResultBatch.class, new MessageSerializers.ResultBatchSerializer(), FIRST_MESSAGE_ID + 1);
        kryo.register(TaskFailure.class, new MessageSerializers.TaskFailureSerializer(), FIRST_MESSAGE_ID + 2);
        kryo.register(Shutdown.class, new MessageSerializers.ShutdownSerializer(), FIRST_MESSAGE_ID + 3);
        kryo.register(Heartbeat.class, new MessageSerializers.HeartbeatSerializer(), FIRST_MESSAGE_ID + 4);

        // Kryo registers String and the primitives itself (ids 0-9); String gets a bounded serializer.
        kryo.register(String.class, new BoundedSerializers.StringSerializer());
        int id = FIRST_VALUE_ID;
        for (Class<?> type : WireTypes.STANDARD) {
            if (kryo.getClassResolver().getRegistration(type) == null) {
                kryo.register(type, standardSerializer(kryo, type), id);
            }
            id++;
        }
        id = FIRST_JOB_TYPE_ID;
        for (Class<?> type : jobTypes) {
            if (type.isRecord()) {
                kryo.register(type, recordSerializer(type), id++);
            } else {
                kryo.register(type, id++);
            }
        }
        return kryo;
    }

    private static <T> Serializer<T> recordSerializer(Class<T> type) {
        return new ReflectiveRecordSerializer<>(type);
    }

    /** A hash of the registration table and protocol version; equal on both ends of a working channel. */
    public long fingerprint() {
        return fingerprint;
    }

    private static Serializer<?> standardSerializer(Kryo kryo, Class<?> type) {
        if (type == byte[].class) {
            return new BoundedSerializers.ByteArraySerializer();
        } else if (type == int[].class) {
            return new BoundedSerializers.IntArraySerializer();
        } else if (type == long[].class) {
            return new BoundedSerializers.LongArraySerializer();
        } else if (type == double[].class) {
            return new BoundedSerializers.DoubleArraySerializer();
        } else if (type == Range.class) {
            return new BoundedSerializers.RangeSerializer();
        }
        return kryo.getDefaultSerializer(type);
    }

    private long computeFingerprint(Kryo kryo) {
        StringBuilder table = new StringBuilder("procpool protocol ").append(Protocol.VERSION).append('\n');
        for (int id = 0; id < FIRST_JOB_TYPE_ID + jobTypes.size(); id++) {
            Registration registration = kryo.getRegistration(id);
            if (registration != null) {
                Class<?> type = registration.getType();
                table.append(id).append(' ').append(type.getName()).append(' ')
                        .append(registration.getSerializer().getClass().getName());
                appendShape(table, type);
                table.append('\n');
            }
        }
        return Fnv.hash64(table.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * What the encoding depends on beyond the class name: a record travels as its components in order and an enum
     * as an ordinal, so two builds that differ there would decode each other's bytes into wrong values.
     */
    private static void appendShape(StringBuilder table, Class<?> type) {
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                table.append(' ').append(component.getType().getTypeName()).append(' ').append(component.getName());
            }
        } else if (type.isEnum()) {
            for (Object constant : type.getEnumConstants()) {
                table.append(' ').append(((Enum<?>) constant).name());
            }
        }
    }
}
