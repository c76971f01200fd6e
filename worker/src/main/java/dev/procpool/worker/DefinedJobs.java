package dev.procpool.worker;

import dev.procpool.job.Job;
import dev.procpool.protocol.FrameReader;
import dev.procpool.protocol.JobDefinition;
import dev.procpool.protocol.RemoteError;
import dev.procpool.protocol.RemoteFrame;
import dev.procpool.protocol.WireFormat;
import dev.procpool.protocol.WireType;
import java.util.HashMap;
import java.util.Map;

/**
 * The jobs a worker has been sent, by key: each made from its {@link JobDefinition} (decoded as a value, so a record
 * job arrives with its components), or the reason it could not be made here, which each of its tasks is answered with.
 * A job is made by the worker's reader as its definition arrives ({@link #make}, with the reader's own Kryo, as it
 * decodes tasks), and handed to its computer through the inbox, in order with the tasks; only the thread holding the
 * computer's role keeps the books ({@link #add}, {@link #get}, {@link #forget}), and the role passes between the
 * worker's two threads through a volatile write and a compare-and-set (see {@link Roles}), so they need no lock.
 */
final class DefinedJobs {

    /** A job made from its definition, or why it could not be. */
    record Defined(long key, String name, Job<?, ?> job, RemoteError unavailable) {
    }

    private final Map<Long, Defined> byKey = new HashMap<>();

    /**
     * Makes the job of a definition, on the reader thread, or says why it cannot be made here: a class it needs is not
     * available (then its tasks are skipped unread, see {@link WireFormat#skipTasksOf}), or decoding it failed.
     */
    static Defined make(JobDefinition definition, WireFormat format, FrameReader reader) {
        for (int id : definition.typeIds()) {
            WireType type = format.added(id);
            if (type == null || !type.available()) {
                format.skipTasksOf(definition.key());
                return type == null
                        ? unavailable(definition, "java.lang.IllegalStateException", "the coordinator named class id "
                                + id + " without defining it")
                        : unavailable(definition, type.problem().contains("not on this worker's class path")
                                ? "java.lang.ClassNotFoundException" : "java.lang.IncompatibleClassChangeError",
                                type.problem());
            }
        }
        Object job;
        try {
            job = reader.decodeValue(definition.value());
        } catch (RuntimeException | LinkageError e) {
            Throwable cause = e.getCause() != null && !(e instanceof LinkageError) ? e.getCause() : e;
            return new Defined(definition.key(), definition.name(), null, new RemoteError(cause.getClass().getName(),
                    "cannot make " + definition.className() + " on this worker: " + cause.getMessage(),
                    RemoteError.of(cause).frames(), null));
        }
        if (!(job instanceof Job<?, ?> made)) {
            return unavailable(definition, "java.lang.ClassCastException", definition.className() + " arrived as a "
                    + (job == null ? "null" : job.getClass().getName()) + ", which is not a job");
        }
        return new Defined(definition.key(), definition.name(), made, null);
    }

    private static Defined unavailable(JobDefinition definition, String className, String why) {
        return new Defined(definition.key(), definition.name(), null,
                new RemoteError(className, why, new RemoteFrame[0], null));
    }

    /** Keeps a job the reader thread made, for the tasks that follow it. */
    void add(Defined defined) {
        byKey.put(defined.key(), defined);
    }

    /** The job under {@code key}, or null if none was defined. */
    Defined get(long key) {
        return byKey.get(key);
    }

    /** Lets go of these jobs. */
    void forget(long[] keys) {
        for (long key : keys) {
            byKey.remove(key);
        }
    }
}
