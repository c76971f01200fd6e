package dev.procpool.protocol;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.KryoBufferOverflowException;
import com.esotericsoftware.kryo.io.Output;
import dev.procpool.job.Job;
import dev.procpool.job.TaskFunction;
import dev.procpool.job.WireTypes;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Makes a job (or a function, as a {@link FunctionJob}) ready to travel, on a coordinator: finds every class it needs
 * (its declared task and result types, the classes its object holds), registers them in the coordinator's
 * {@link WireFormat}, and encodes the job object. What cannot travel is refused here, before anything is sent, in
 * words a user can act on. Not thread-safe: one encoder, one thread at a time.
 */
public final class JobEncoder {

    /** Bytes a definition's frame needs beyond the job's own: key, names, class ids. */
    private static final int DEFINITION_OVERHEAD = 1024;
    /** Bytes a {@link ShareValue}'s frame needs beyond the value's own: its class, id and length. */
    private static final int SHARE_OVERHEAD = 32;

    private final WireFormat format;
    /** Made on first use: a pool that only ever runs jobs without fields still needs it once. */
    private WireCodec codec;
    private final int maxFrameBytes;
    private final Output output;

    public JobEncoder(WireFormat format, int maxFrameBytes) {
        this.format = format;
        this.maxFrameBytes = maxFrameBytes;
        this.output = new Output(256, Math.max(256, maxFrameBytes - DEFINITION_OVERHEAD));
    }

    /**
     * A job ready to travel.
     *
     * @param value the job object, encoded
     * @param typeIds every class the job, its tasks and its results need, by id
     * @param openInputs whether its declared task type leaves classes to each value (an {@code Object} or interface
     *     component): each task must then be walked with {@link #registerValue} before it is sent
     * @param shares the shared values the job holds: a worker must have each before the job's definition
     */
    public record Encoded(byte[] value, int[] typeIds, boolean openInputs, List<SharedValue<?>> shares) {
        public Encoded {
            shares = List.copyOf(shares);
        }
    }

    /** What a job's declared types need, found once per job class. */
    private record Declared(Set<Class<?>> classes, boolean openInputs, String refusal) {
    }

    private static final ClassValue<Declared> FUNCTION_TYPES = new ClassValue<>() {
        @Override
        protected Declared computeValue(Class<?> type) {
            return declared(type, TaskFunction.class, "function " + simpleName(type));
        }
    };

    private static final ClassValue<Declared> JOB_TYPES = new ClassValue<>() {
        @Override
        protected Declared computeValue(Class<?> type) {
            return declared(type, Job.class, "job " + type.getName());
        }
    };

    /**
     * Registers what the job needs and encodes it.
     *
     * @throws IllegalArgumentException saying what cannot travel, where, and what to do instead
     */
    public Encoded encode(Job<?, ?> job) {
        Declared declared = declaredTypes(job);
        if (declared.refusal() != null) {
            throw new IllegalArgumentException(declared.refusal());
        }
        Object travelling = job instanceof FunctionJob<?, ?> function ? function.function() : job;
        if (travelling.getClass().isHidden()) {
            throw new IllegalArgumentException(describe(job) + " cannot travel between processes: "
                    + TypeWalk.whyNot(travelling.getClass()));
        }
        TypeWalk held = new TypeWalk().value(job, true, describe(job));
        List<Integer> ids = new ArrayList<>();
        register(declared.classes(), ids);
        register(held.classes(), ids);
        byte[] value = encodeValue(job);
        return new Encoded(value, ids.stream().mapToInt(Integer::intValue).distinct().toArray(), declared.openInputs(),
                new ArrayList<>(held.shares()));
    }

    /**
     * Registers the classes a task of an open type holds.
     *
     * @throws IllegalArgumentException saying what in it cannot travel
     */
    public void registerValue(Object task, String what) {
        register(new TypeWalk().value(task, false, what).classes(), new ArrayList<>());
    }

    /**
     * Registers what a value to be shared holds, and encodes it as a worker decodes it: the value as it is now, which
     * is what every worker receives whatever becomes of the object later.
     *
     * @throws IllegalArgumentException saying what in it cannot travel
     * @throws EncodingException if it does not fit in a frame ({@link EncodingException#tooLarge()}, with its size)
     */
    public byte[] encodeShared(Object value, String what) throws EncodingException {
        registerValue(value, what);
        if (codec == null) {
            codec = new WireCodec(format);
        }
        int limit = Math.max(1, maxFrameBytes - SHARE_OVERHEAD);
        Output bounded = new Output(Math.min(limit, 4096), limit);
        try {
            codec.kryo().writeClassAndObject(bounded, value);
            return bounded.toBytes();
        } catch (KryoException | IllegalArgumentException e) {
            codec.discard();
            if (e instanceof KryoBufferOverflowException) {
                long bytes;
                try {
                    bytes = EncodedSize.of(codec.kryo(), value) + SHARE_OVERHEAD;
                } catch (RuntimeException measureFailed) {
                    codec.discard();
                    bytes = -1;
                }
                throw new EncodingException(what + " does not fit in a frame of " + maxFrameBytes + " bytes", true,
                        bytes, e);
            }
            throw new IllegalArgumentException(what + " cannot be encoded: " + FrameReader.firstLine(e), e);
        }
    }

    private void register(Set<Class<?>> classes, List<Integer> ids) {
        for (Class<?> type : classes) {
            WireType entry = format.register(type);
            if (entry != null) {
                ids.add(entry.id());
            }
        }
    }

    private byte[] encodeValue(Job<?, ?> job) {
        if (codec == null) {
            codec = new WireCodec(format);
        }
        output.reset();
        try {
            codec.kryo().writeClassAndObject(output, job);
        } catch (KryoException | IllegalArgumentException e) {
            codec.discard();
            if (e instanceof KryoBufferOverflowException) {
                throw new IllegalArgumentException(tooLarge(job));
            }
            throw new IllegalArgumentException(describe(job) + " cannot be encoded: " + FrameReader.firstLine(e), e);
        }
        return output.toBytes();
    }

    /**
     * Why a job too large for a frame cannot travel, in one line: its size (measured again into nothing but a count),
     * the limit, and the two ways out.
     */
    private String tooLarge(Job<?, ?> job) {
        String size;
        String atLeast = "";
        try {
            long bytes = EncodedSize.of(codec.kryo(), job) + DEFINITION_OVERHEAD;
            size = String.format(Locale.ROOT, "%,d bytes", bytes);
            atLeast = " to at least " + size;
        } catch (RuntimeException measureFailed) {
            codec.discard();
            size = "larger";
        }
        return describe(job) + " is " + size + " encoded, over the frame limit of "
                + String.format(Locale.ROOT, "%,d bytes", maxFrameBytes) + ", so it cannot be sent to the workers; "
                + "hold the data it carries as a shared value (runner.share(value), sent to each worker once, a large "
                + "primitive array as a file the workers map) instead of in its fields, or raise the limit" + atLeast
                + " (ProcessPoolBuilder.maxFrameBytes)";
    }

    private static Declared declaredTypes(Job<?, ?> job) {
        if (job instanceof FunctionJob<?, ?> function) {
            return FUNCTION_TYPES.get(function.function().getClass());
        }
        Declared declared = JOB_TYPES.get(job.getClass());
        if (declared.refusal() != null || job.wireTypes().isEmpty()) {
            return declared;
        }
        TypeWalk listed = new TypeWalk();
        try {
            for (Class<?> type : job.wireTypes()) {
                if (!WireTypes.STANDARD.contains(type) && !type.isRecord() && !type.isEnum()) {
                    return new Declared(Set.of(), false, describe(job) + " lists " + type.getTypeName()
                            + " in wireTypes(), which cannot travel between processes: " + TypeWalk.whyNotData(type));
                }
                listed.type(type, "a class " + describe(job) + " lists in wireTypes()");
            }
        } catch (IllegalArgumentException e) {
            return new Declared(Set.of(), false, e.getMessage());
        }
        Set<Class<?>> all = new LinkedHashSet<>(declared.classes());
        all.addAll(listed.classes());
        return new Declared(all, declared.openInputs(), null);
    }

    /** The classes {@code target}'s first two type arguments (input and output) need, as {@code type} declares them. */
    private static Declared declared(Class<?> type, Class<?> target, String what) {
        Type[] arguments = TypeArguments.of(type, target);
        if (arguments == null || arguments.length < 2) {
            return new Declared(Set.of(), true, null);
        }
        TypeWalk inputs = new TypeWalk();
        TypeWalk outputs = new TypeWalk();
        try {
            inputs.type(arguments[0], target == Job.class ? "the task type of " + what : "the input type of " + what);
            outputs.type(arguments[1], target == Job.class ? "the result type of " + what
                    : "the output type of " + what);
        } catch (IllegalArgumentException e) {
            return new Declared(Set.of(), false, e.getMessage());
        }
        Set<Class<?>> all = new LinkedHashSet<>(inputs.classes());
        all.addAll(outputs.classes());
        return new Declared(all, inputs.open(), null);
    }

    /** {@code job 'sqrt' (dev.procpool.jobs.SqrtJob)} or {@code function Scaled (com.example.Scaled)}. */
    public static String describe(Job<?, ?> job) {
        if (job instanceof FunctionJob<?, ?> function) {
            Class<?> type = function.function().getClass();
            return type.isHidden() ? "a lambda (" + type.getName() + ")"
                    : "function " + job.name() + " (" + type.getName() + ")";
        }
        return "job '" + job.name() + "' (" + job.getClass().getName() + ")";
    }

    private static String simpleName(Class<?> type) {
        String name = type.getName();
        return name.substring(name.lastIndexOf('.') + 1).replace('$', '.');
    }
}
