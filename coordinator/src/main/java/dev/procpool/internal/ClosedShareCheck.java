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
 * lookup per call. Stateless; thread-safe.
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
        Object held = job instanceof FunctionJob<?, ?> function ? function.function() : job;
        if (!held.getClass().isRecord()) {
            return;
        }
        SharedValue<?> closed = closedIn(held, 0);
        if (closed != null) {
            throw refusal(job.name(), held.getClass().getName(), JobEncoder.describe(job), closed);
        }
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

    /** A closed shared value in {@code value}; null if it holds none. */
    private static SharedValue<?> closedIn(Object value, int depth) {
        if (value instanceof SharedValue<?> shared) {
            return shared.isClosed() ? shared : null;
        }
        if (value instanceof WorkerLocal<?> local) {
            return closedIn(local.setup(), depth + 1);
        }
        if (value == null || depth > MAX_DEPTH || !value.getClass().isRecord()) {
            return null;
        }
        for (MethodHandle accessor : HOLDERS.get(value.getClass())) {
            SharedValue<?> closed = closedIn(read(accessor, value), depth + 1);
            if (closed != null) {
                return closed;
            }
        }
        return null;
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
