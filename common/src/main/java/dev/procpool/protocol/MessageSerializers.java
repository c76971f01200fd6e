package dev.procpool.protocol;

import static dev.procpool.protocol.BoundedSerializers.readString;
import static dev.procpool.protocol.BoundedSerializers.writeString;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * The explicit wire encoding of each {@link Message}: field by field, with no reflection on the hot path and
 * every declared count checked before it is used. Stateless and thread-safe.
 */
final class MessageSerializers {

    private MessageSerializers() {
    }

    /**
     * Ids are written as deltas from the previous one: in a batch they increase, so most take one byte. The ids come
     * before the tasks, so a worker that cannot decode a job's tasks can read the ids and skip the rest.
     */
    static final class TaskBatchSerializer extends Serializer<TaskBatch> {
        private final WireFormat format;

        TaskBatchSerializer(WireFormat format) {
            this.format = format;
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, TaskBatch batch) {
            output.writeVarLong(batch.job(), true);
            writeEntries(kryo, output, batch.ids(), batch.tasks());
        }

        @Override
        public TaskBatch read(Kryo kryo, Input input, Class<? extends TaskBatch> type) {
            long job = input.readVarLong(true);
            long[] ids = readIds(input);
            if (format.skipsTasksOf(job)) {
                input.setPosition(input.limit()); // a batch is a frame of its own: its tasks are the rest of it
                return new TaskBatch(job, ids, null);
            }
            return new TaskBatch(job, ids, readObjects(kryo, input, ids.length));
        }
    }

    static final class ResultBatchSerializer extends Serializer<ResultBatch> {
        ResultBatchSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, ResultBatch batch) {
            output.writeVarLong(batch.busyNanos(), true);
            output.writeVarLong(batch.cpuNanos(), true);
            output.writeVarLong(batch.readyNanos(), true);
            output.writeVarLong(batch.sampledNanos(), true);
            writeEntries(kryo, output, batch.ids(), batch.values());
        }

        @Override
        public ResultBatch read(Kryo kryo, Input input, Class<? extends ResultBatch> type) {
            long busyNanos = input.readVarLong(true);
            long cpuNanos = input.readVarLong(true);
            long readyNanos = input.readVarLong(true);
            long sampledNanos = input.readVarLong(true);
            if (busyNanos < 0 || cpuNanos < 0 || readyNanos < 0 || sampledNanos < 0) {
                throw new KryoException("result batch with a negative time: busy " + busyNanos + ", CPU " + cpuNanos
                        + ", ready " + readyNanos + ", sampled " + sampledNanos);
            }
            long[] ids = readIds(input);
            return new ResultBatch(ids, readObjects(kryo, input, ids.length), busyNanos, cpuNanos, readyNanos,
                    sampledNanos);
        }
    }

    /** A count, then each id as a zigzag delta from the one before, then each object with its class id. */
    private static void writeEntries(Kryo kryo, Output output, long[] ids, Object[] objects) {
        output.writeVarInt(ids.length, true);
        long previous = 0;
        for (long id : ids) {
            output.writeVarLong(id - previous, false);
            previous = id;
        }
        for (Object object : objects) {
            kryo.writeClassAndObject(output, object);
        }
    }

    private static long[] readIds(Input input) {
        int count = readCount(input);
        long[] ids = new long[count];
        long previous = 0;
        for (int i = 0; i < count; i++) {
            previous += input.readVarLong(false);
            ids[i] = previous;
        }
        return ids;
    }

    private static Object[] readObjects(Kryo kryo, Input input, int count) {
        Object[] objects = new Object[count];
        for (int i = 0; i < count; i++) {
            objects[i] = kryo.readClassAndObject(input);
        }
        return objects;
    }

    /**
     * A batch's element count: at most {@link Protocol#MAX_BATCH_ELEMENTS}, and each element takes at least two
     * bytes, so more than half the bytes left is a lie.
     */
    private static int readCount(Input input) {
        int count = input.readVarInt(true);
        if (count < 0 || count > Protocol.MAX_BATCH_ELEMENTS || count > (input.limit() - input.position()) / 2) {
            throw new KryoException("a batch declares " + count + " elements in " + (input.limit() - input.position())
                    + " bytes");
        }
        return count;
    }

    static final class TaskFailureSerializer extends Serializer<TaskFailure> {
        private static final TaskFailure.Kind[] KINDS = TaskFailure.Kind.values();

        TaskFailureSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, TaskFailure failure) {
            output.writeVarLong(failure.taskId(), true);
            output.writeByte(failure.kind().ordinal());
            output.writeVarLong(failure.bytes(), false);
            writeError(output, failure.error(), 0);
        }

        @Override
        public TaskFailure read(Kryo kryo, Input input, Class<? extends TaskFailure> type) {
            long taskId = input.readVarLong(true);
            int kind = input.readByte();
            if (kind < 0 || kind >= KINDS.length) {
                throw new KryoException("task failure of unknown kind " + kind);
            }
            long bytes = input.readVarLong(false);
            return new TaskFailure(taskId, KINDS[kind], readError(input, 0), bytes);
        }

        /** Writes within the limits {@link #readError} enforces, so a valid error is never refused on arrival. */
        private static void writeError(Output output, RemoteError error, int depth) {
            writeString(output, error.className());
            writeString(output, error.message());
            RemoteFrame[] frames = error.frames();
            int count = Math.min(frames.length, RemoteError.MAX_FRAMES);
            output.writeVarInt(count, true);
            for (int i = 0; i < count; i++) {
                writeString(output, frames[i].className());
                writeString(output, frames[i].method());
                writeString(output, frames[i].file());
                output.writeVarInt(frames[i].line(), false);
            }
            boolean withCause = error.cause() != null && depth < RemoteError.MAX_CAUSE_DEPTH;
            output.writeBoolean(withCause);
            if (withCause) {
                writeError(output, error.cause(), depth + 1);
            }
        }

        private static RemoteError readError(Input input, int depth) {
            if (depth > RemoteError.MAX_CAUSE_DEPTH) {
                throw new KryoException("remote error nests causes deeper than " + RemoteError.MAX_CAUSE_DEPTH);
            }
            String className = readString(input);
            if (className == null) {
                throw new KryoException("remote error without a class name");
            }
            String message = readString(input);
            int count = input.readVarInt(true);
            if (count < 0 || count > RemoteError.MAX_FRAMES || count > input.limit() - input.position()) {
                throw new KryoException("remote error declares " + count + " stack frames");
            }
            RemoteFrame[] frames = new RemoteFrame[count];
            for (int i = 0; i < count; i++) {
                String frameClass = readString(input);
                String method = readString(input);
                if (frameClass == null || method == null) {
                    throw new KryoException("remote stack frame without a class or method name");
                }
                frames[i] = new RemoteFrame(frameClass, method, readString(input), input.readVarInt(false));
            }
            RemoteError cause = input.readBoolean() ? readError(input, depth + 1) : null;
            return new RemoteError(className, message, frames, cause);
        }
    }

    static final class ShutdownSerializer extends Serializer<Shutdown> {
        ShutdownSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, Shutdown shutdown) {
            // The message is its type alone.
        }

        @Override
        public Shutdown read(Kryo kryo, Input input, Class<? extends Shutdown> type) {
            return Shutdown.INSTANCE;
        }
    }

    static final class HeartbeatSerializer extends Serializer<Heartbeat> {
        HeartbeatSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, Heartbeat heartbeat) {
            output.writeVarLong(heartbeat.sequence(), true);
            output.writeVarLong(heartbeat.cpuNanos(), false);
            output.writeVarLong(heartbeat.residentBytes(), false);
        }

        @Override
        public Heartbeat read(Kryo kryo, Input input, Class<? extends Heartbeat> type) {
            return new Heartbeat(input.readVarLong(true), input.readVarLong(false), input.readVarLong(false));
        }
    }
}
