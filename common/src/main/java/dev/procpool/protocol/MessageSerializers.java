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

    static final class TaskRequestSerializer extends Serializer<TaskRequest> {
        TaskRequestSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, TaskRequest request) {
            output.writeVarLong(request.taskId(), true);
            writeString(output, request.job());
            kryo.writeClassAndObject(output, request.task());
        }

        @Override
        public TaskRequest read(Kryo kryo, Input input, Class<? extends TaskRequest> type) {
            long taskId = input.readVarLong(true);
            String job = readString(input);
            return new TaskRequest(taskId, job, kryo.readClassAndObject(input));
        }
    }

    static final class TaskResultSerializer extends Serializer<TaskResult> {
        TaskResultSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, TaskResult result) {
            output.writeVarLong(result.taskId(), true);
            kryo.writeClassAndObject(output, result.value());
        }

        @Override
        public TaskResult read(Kryo kryo, Input input, Class<? extends TaskResult> type) {
            long taskId = input.readVarLong(true);
            return new TaskResult(taskId, kryo.readClassAndObject(input));
        }
    }

    static final class TaskFailureSerializer extends Serializer<TaskFailure> {
        TaskFailureSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, TaskFailure failure) {
            output.writeVarLong(failure.taskId(), true);
            writeError(output, failure.error(), 0);
        }

        @Override
        public TaskFailure read(Kryo kryo, Input input, Class<? extends TaskFailure> type) {
            long taskId = input.readVarLong(true);
            return new TaskFailure(taskId, readError(input, 0));
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
}
