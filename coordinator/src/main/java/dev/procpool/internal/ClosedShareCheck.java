package dev.procpool.internal;

import dev.procpool.JobNotSendableException;
import dev.procpool.job.Job;
import dev.procpool.job.Shared;
import dev.procpool.job.WorkerLocal;
import dev.procpool.protocol.FunctionJob;
import dev.procpool.protocol.JobEncoder;
import dev.procpool.protocol.SharedValue;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a job or function holds a shared value that was closed, asked as it is handed to a runner, so that every
 * runner refuses it at the call, alike: a record's components that may hold a {@link Shared} (directly, in a nested
 * record or in a {@link WorkerLocal}'s set-up) are found once per class; a class without such components costs one
 * lookup per call. The same walk finds the values a call takes a hold on ({@link ShareHold#take}). Stateless;
 * thread-safe.
 */
public final class ClosedShareCheck {

    /** Records nested deeper than this are not looked into (no job that travels nests so deep). */
    private static final int MAX_DEPTH = 32;

    /** Per record class, the accessors of its components that may hold a shared value. */
    private static final ClassValue<List<MethodHandle>> HOLDERS = new ClassValue<>() {
        @Override
        protected List<MethodHandle> computeValue(Class<?> type) {
            List<MethodHandle> accessors = new ArrayList<>();
            for (RecordComponent component : type.getRecordComponents()) {
                if (mayHoldShare(component.getType())) {
                    try {
                        component.getAccessor().setAccessible(true);
                        accessors.add(MethodHandles.lookup().unreflect(component.getAccessor()));
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        // Not readable from here: a process pool refuses the job when it encodes it, saying why.
                    }
                }
            }
            return List.copyOf(accessors);
        }
    };

    private ClosedShareCheck() {
    }

    /**
     * @throws JobNotSendableException if {@code job} (or the function it runs) holds a shared value that was closed:
     *     which one, and to share the value again
     */
    public static void check(Job<?, ?> job) {
        for (SharedValue<?> shared : sharesOf(job)) {
            if (shared.isClosed()) {
                throw refusal(job, shared);
            }
        }
    }

    /** The shared values {@code job} (or the function it runs) holds, as far as records show them. */
    static List<SharedValue<?>> sharesOf(Job<?, ?> job) {
        Object held = held(job);
        if (!held.getClass().isRecord()) {
            return List.of();
        }
        List<SharedValue<?>> shares = new ArrayList<>();
        collect(held, 0, shares);
        return shares;
    }

    private static Object held(Job<?, ?> job) {
        return job instanceof FunctionJob<?, ?> function ? function.function() : job;
    }

    /** The refusal of {@code job}, which holds {@code closed}. */
    static JobNotSendableException refusal(Job<?, ?> job, SharedValue<?> closed) {
        return refusal(job.name(), held(job).getClass().getName(), JobEncoder.describe(job), closed);
    }

    /**
     * The refusal of a job or function that holds a closed shared value: which one, and to share the value again.
     *
     * @param description the job as messages name it ({@link JobEncoder#describe})
     */
    static JobNotSendableException refusal(String job, String jobClass, String description, SharedValue<?> closed) {
        return new JobNotSendableException(job, jobClass, description + " holds " + closed + ", which was closed: share "
                + "the value again (runner.share(value)) and hold the new handle", null);
    }

    /** Adds the shared values in {@code value} to {@code shares}. */
    private static void collect(Object value, int depth, List<SharedValue<?>> shares) {
        if (value instanceof SharedValue<?> shared) {
            shares.add(shared);
            return;
        }
        if (value instanceof WorkerLocal<?> local) {
            collect(local.setup(), depth + 1, shares);
            return;
        }
        if (value == null || depth > MAX_DEPTH || !value.getClass().isRecord()) {
            return;
        }
        for (MethodHandle accessor : HOLDERS.get(value.getClass())) {
            collect(read(accessor, value), depth + 1, shares);
        }
    }

    private static Object read(MethodHandle accessor, Object record) {
        try {
            return accessor.invoke(record);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("reading a component of " + record.getClass().getName() + " threw " + e, e);
        }
    }

    /**
     * Whether a component of this declared type may hold a shared value: a handle, a record, or a type a record or a
     * handle may hide behind (an interface, {@code Object}, a class that is not final); not a primitive, an array, an
     * enum or a final class such as {@code String}.
     */
    private static boolean mayHoldShare(Class<?> type) {
        if (Shared.class.isAssignableFrom(type) || type == WorkerLocal.class || type.isRecord()) {
            return true;
        }
        return !type.isPrimitive() && !type.isArray() && !type.isEnum() && !Modifier.isFinal(type.getModifiers());
    }
}
