package dev.procpool.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.EnumSerializer;
import dev.procpool.job.Range;
import dev.procpool.job.WorkerLocal;
import dev.procpool.job.WireTypes;
import java.lang.reflect.InaccessibleObjectException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Kryo registration table of one end of a channel: the messages and the {@link WireTypes#STANDARD standard} value
 * types under fixed ids, then the classes of the user's that jobs, functions, tasks and results need, added as they are
 * first used. Thread-safe; the {@link Kryo} instances it gives are not, so take one per thread or connection, through a
 * {@link WireCodec}, which keeps its Kryo in step with the table.
 *
 * <p>Registration stays required: a stream can only ever instantiate the classes listed here. The coordinator adds a
 * class ({@link #register}) before it sends anything that holds one, and tells each worker the new entries of its table
 * ({@link TypeDefinitions}) before anything that uses them, so both ends give a class the same id; a worker loads each
 * class by name ({@link #define}) and compares its shape with the coordinator's. The {@link #fingerprint()} hashes the
 * fixed part of the table and the protocol version, and the handshake compares it, so a worker from another build fails
 * loudly at start.
 *
 * <p>Every class added must be a record, an enum, or (for jobs and functions alone) a class without instance fields:
 * see {@link WireKind}.
 */
public final class WireFormat {

    private static final int FIRST_MESSAGE_ID = 16;
    private static final int FIRST_VALUE_ID = 32;
    /** Handles a job or function may hold: a shared value, a per-worker value. */
    private static final int FIRST_HANDLE_ID = 48;
    /** The id of the first class added as it is used. */
    public static final int FIRST_ADDED_ID = 64;
    /** The most classes a table holds beyond the fixed ones: a coordinator that needs more is confused. */
    public static final int MAX_ADDED_TYPES = 1 << 16;

    static {
        // Kryo 5.6 probes sun.misc.Unsafe when its utilities load, and JDK 24+ prints four warnings about it on
        // stderr, in this JVM and in every worker. procpool uses none of Kryo's Unsafe-based I/O or field access
        // (every wire type has an explicit serializer), so it tells Kryo to leave Unsafe alone, before any Kryo
        // class is initialized. A user who set the property decides for themselves.
        if (System.getProperty("kryo.unsafe") == null) {
            System.setProperty("kryo.unsafe", "false");
        }
    }

    /** Whether this is a worker's table: it loads the classes its coordinator names and makes stateless instances. */
    private final boolean worker;
    /** Whether this table serves a check alone ({@link #forCheck}): what it encodes is never sent. */
    private final boolean check;
    /** The classes added, at {@code id - FIRST_ADDED_ID}; appended under {@code this}, read without a lock. */
    private final List<WireType> added = new CopyOnWriteArrayList<>();
    /** The coordinator's index of {@link #added}; guarded by {@code this}. */
    private final Map<Class<?>, WireType> byClass = new HashMap<>();
    /** The shared values this end knows: shared by a coordinator, or received by a worker. */
    private final SharedStore shared = new SharedStore();
    /** A worker's jobs whose tasks cannot be decoded here (their definition failed): their batches are skipped. */
    private final Set<Long> skipped = ConcurrentHashMap.newKeySet();
    /** The fingerprint, once computed; read without a lock once {@link #fingerprinted} is true. */
    private volatile long fingerprint;
    private volatile boolean fingerprinted;
    /**
     * A Kryo made for the fingerprint and not used since (reading registrations leaves no state behind), handed to the
     * next {@link #newKryo()} call: building a Kryo costs a worker milliseconds of its start-up.
     */
    private final AtomicReference<Kryo> spare = new AtomicReference<>();

    /** Cheap: nothing of Kryo is built until the first Kryo or the fingerprint is asked for. */
    private WireFormat(boolean worker, boolean check) {
        this.worker = worker;
        this.check = check;
    }

    /** A coordinator's table: it adds the classes it needs, and decodes what workers send with them. */
    public static WireFormat forCoordinator() {
        return new WireFormat(false, false);
    }

    /**
     * A coordinator's table for checking whether values would travel, without a pool: nothing it encodes is sent, so
     * a shared value that is open stands for itself, whichever runner shared it.
     */
    public static WireFormat forCheck() {
        return new WireFormat(false, true);
    }

    /** A worker's table: it learns its classes from its coordinator ({@link #define}). */
    public static WireFormat forWorker() {
        return new WireFormat(true, false);
    }

    /**
     * Adds {@code type} to a coordinator's table, unless it is there already or standard; returns its entry, or null for
     * a standard type.
     *
     * @throws IllegalArgumentException saying why the type cannot travel and what to use instead
     */
    public synchronized WireType register(Class<?> type) {
        if (WireTypes.STANDARD.contains(type) || type.isPrimitive()) {
            return null;
        }
        WireType known = byClass.get(type);
        if (known != null) {
            return known;
        }
        if (worker) {
            throw new IllegalStateException("a worker learns its classes from its coordinator");
        }
        WireKind kind = WireKind.of(type);
        if (kind == null) {
            throw new IllegalArgumentException(TypeWalk.whyNot(type));
        }
        if (added.size() >= MAX_ADDED_TYPES) {
            throw new IllegalStateException("more than " + MAX_ADDED_TYPES + " classes travel between processes");
        }
        WireType entry = new WireType(FIRST_ADDED_ID + added.size(), type.getName(), kind,
                WireType.shapeOf(type, kind), type, null);
        try {
            // Its serializer reaches its members by reflection: a module that keeps them from procpool is refused
            // here, before the class enters the table, where every codec catching up would fail on it.
            serializer(entry);
        } catch (InaccessibleObjectException e) {
            throw new IllegalArgumentException(ModuleAccess.refusal(type, e), e);
        }
        added.add(entry);
        byClass.put(type, entry);
        return entry;
    }

    /**
     * Adds to a worker's table the class its coordinator registered under {@code id}, loading it by name. A class that
     * cannot be loaded, is of another kind or has another shape here is entered as unavailable, with the reason: the
     * jobs that need it fail, naming it, and the worker carries on.
     *
     * @throws IllegalArgumentException if {@code id} is not the next one (the coordinator and this table disagree)
     */
    public synchronized WireType define(int id, String className, WireKind kind, long shape, ClassLoader loader) {
        if (!worker) {
            throw new IllegalStateException("a coordinator registers its own classes");
        }
        if (id != FIRST_ADDED_ID + added.size() || added.size() >= MAX_ADDED_TYPES) {
            throw new IllegalArgumentException("class " + className + " arrives as id " + id + " where id "
                    + (FIRST_ADDED_ID + added.size()) + " is next");
        }
        Class<?> type = null;
        String problem;
        try {
            type = Class.forName(className, false, loader);
            WireKind here = WireKind.of(type);
            if (here != kind) {
                problem = "class " + className + " on this worker's class path is " + describe(here)
                        + ", where the coordinator's is " + describe(kind) + ": another version of it";
            } else if (WireType.shapeOf(type, kind) != shape) {
                problem = "class " + className + " on this worker's class path has other "
                        + WireType.describeShape(type) + " than the coordinator's: another version of it";
            } else {
                problem = null;
            }
        } catch (ClassNotFoundException | LinkageError e) {
            problem = "class " + className + " is not on this worker's class path (" + e + ")";
        }
        WireType entry = new WireType(id, className, kind, shape, problem == null ? type : null, problem);
        if (problem == null) {
            try {
                serializer(entry);
            } catch (InaccessibleObjectException e) {
                entry = new WireType(id, className, kind, shape, null, ModuleAccess.refusal(type, e));
            }
        }
        added.add(entry);
        return entry;
    }

    private static String describe(WireKind kind) {
        return kind == null ? "neither a record, an enum nor a class without fields"
                : switch (kind) {
                    case RECORD -> "a record";
                    case ENUM -> "an enum";
                    case STATELESS -> "a class without fields";
                };
    }

    /** Whether this is a worker's table. */
    boolean isWorker() {
        return worker;
    }

    /** Whether this table serves a check alone (see {@link #forCheck}). */
    boolean isCheck() {
        return check;
    }

    /** The shared values this end knows. */
    public SharedStore shared() {
        return shared;
    }

    /** How many classes have been added. */
    public int addedCount() {
        return added.size();
    }

    /** The classes added from position {@code from} (0 for the first) on, in id order. */
    public List<WireType> addedFrom(int from) {
        List<WireType> all = List.copyOf(added);
        return all.subList(Math.min(from, all.size()), all.size());
    }

    /** The entry under {@code id}, or null if there is none. */
    public WireType added(int id) {
        int index = id - FIRST_ADDED_ID;
        return index >= 0 && index < added.size() ? added.get(index) : null;
    }

    /** A worker: the tasks of this job cannot be decoded here, so the batches of it are skipped unread. */
    public void skipTasksOf(long jobKey) {
        skipped.add(jobKey);
    }

    /** Whether the tasks of this job are skipped unread (see {@link #skipTasksOf}). */
    boolean skipsTasksOf(long jobKey) {
        return !skipped.isEmpty() && skipped.contains(jobKey);
    }

    /** The job is forgotten: nothing of it arrives any more. */
    public void forget(long jobKey) {
        skipped.remove(jobKey);
    }

    /**
     * A Kryo with the fixed part of the table registered, for the caller alone (the first call gets the one the
     * fingerprint was read from, unused otherwise); take it through a {@link WireCodec}, which adds the rest.
     * Registration stays required and references stay off.
     */
    Kryo newKryo() {
        Kryo kryo = spare.getAndSet(null);
        if (kryo == null) {
            kryo = newBaseKryo();
            fingerprintFrom(kryo);
        }
        return kryo;
    }

    /** Registers on {@code kryo} the added classes from position {@code known} on; returns how many it now has. */
    int catchUp(Kryo kryo, int known) {
        List<WireType> all = added;
        int count = all.size();
        for (int i = known; i < count; i++) {
            WireType entry = all.get(i);
            if (entry.available()) {
                kryo.register(entry.type(), serializer(entry), entry.id());
            }
        }
        return count;
    }

    private Serializer<?> serializer(WireType entry) {
        return switch (entry.kind()) {
            case RECORD -> recordSerializer(entry.type());
            case ENUM -> new EnumSerializer(entry.type().asSubclass(Enum.class));
            case STATELESS -> new StatelessSerializer<>(entry.type(), worker);
        };
    }

    private Kryo newBaseKryo() {
        Kryo kryo = new Kryo(new RegisteredClassResolver(), null);
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        kryo.register(TaskBatch.class, new MessageSerializers.TaskBatchSerializer(this), FIRST_MESSAGE_ID);
        kryo.register(ResultBatch.class, new MessageSerializers.ResultBatchSerializer(), FIRST_MESSAGE_ID + 1);
        kryo.register(TaskFailure.class, new MessageSerializers.TaskFailureSerializer(), FIRST_MESSAGE_ID + 2);
        kryo.register(Shutdown.class, new MessageSerializers.ShutdownSerializer(), FIRST_MESSAGE_ID + 3);
        kryo.register(Heartbeat.class, new MessageSerializers.HeartbeatSerializer(), FIRST_MESSAGE_ID + 4);
        kryo.register(TypeDefinitions.class, new DefinitionSerializers.TypeDefinitionsSerializer(), FIRST_MESSAGE_ID + 5);
        kryo.register(JobDefinition.class, new DefinitionSerializers.JobDefinitionSerializer(), FIRST_MESSAGE_ID + 6);
        kryo.register(Forget.class, new DefinitionSerializers.ForgetSerializer(), FIRST_MESSAGE_ID + 7);
        kryo.register(ShareValue.class, new DefinitionSerializers.ShareValueSerializer(), FIRST_MESSAGE_ID + 8);
        kryo.register(ShareFile.class, new DefinitionSerializers.ShareFileSerializer(), FIRST_MESSAGE_ID + 9);
        kryo.register(Unshare.class, new DefinitionSerializers.UnshareSerializer(), FIRST_MESSAGE_ID + 10);

        // Kryo registers String and the primitives itself (ids 0-9); String gets a bounded serializer.
        kryo.register(String.class, new BoundedSerializers.StringSerializer());
        int id = FIRST_VALUE_ID;
        for (Class<?> type : WireTypes.STANDARD) {
            if (kryo.getClassResolver().getRegistration(type) == null) {
                kryo.register(type, standardSerializer(kryo, type), id);
            }
            id++;
        }
        kryo.register(SharedValue.class, new HandleSerializers.SharedSerializer(this), FIRST_HANDLE_ID);
        kryo.register(WorkerLocal.class, new HandleSerializers.WorkerLocalSerializer(this), FIRST_HANDLE_ID + 1);
        return kryo;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Serializer<?> recordSerializer(Class<?> type) {
        return new ReflectiveRecordSerializer(type);
    }

    /** A hash of the fixed part of the table and the protocol version; equal on both ends of a working channel. */
    public long fingerprint() {
        if (!fingerprinted) {
            Kryo kryo = newBaseKryo();
            if (fingerprintFrom(kryo)) {
                spare.compareAndSet(null, kryo);
            }
        }
        return fingerprint;
    }

    /** Computes the fingerprint from {@code kryo} unless it is known; returns whether it did. */
    private synchronized boolean fingerprintFrom(Kryo kryo) {
        if (fingerprinted) {
            return false;
        }
        fingerprint = computeFingerprint(kryo);
        fingerprinted = true;
        return true;
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

    private static long computeFingerprint(Kryo kryo) {
        StringBuilder table = new StringBuilder("procpool protocol ").append(Protocol.VERSION).append('\n');
        for (int id = 0; id < FIRST_ADDED_ID; id++) {
            Registration registration = kryo.getRegistration(id);
            if (registration != null) {
                Class<?> type = registration.getType();
                table.append(id).append(' ').append(type.getName()).append(' ')
                        .append(registration.getSerializer().getClass().getName());
                if (type.isRecord()) {
                    table.append(' ').append(WireType.shapeOf(type, WireKind.RECORD));
                }
                table.append('\n');
            }
        }
        return Fnv.hash64(table.toString().getBytes(StandardCharsets.UTF_8));
    }
}
