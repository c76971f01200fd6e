package dev.procpool.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.procpool.job.WorkerLocal;

/**
 * The handles a job or function may hold to what is not sent with it: a {@link SharedValue} travels as its id, which
 * the reading end resolves in its {@link SharedStore}; a {@link WorkerLocal} travels as its set-up, and the reading JVM
 * makes its own value. Thread-safe once built, like the Kryo each belongs to is not.
 */
final class HandleSerializers {

    private HandleSerializers() {
    }

    /** A shared value as its id; only from a coordinator that shared it, only to a worker that received it. */
    static final class SharedSerializer extends Serializer<SharedValue<?>> {
        private final WireFormat format;

        SharedSerializer(WireFormat format) {
            this.format = format;
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, SharedValue<?> shared) {
            if (format.isWorker()) {
                throw new KryoException("a shared value travels from the coordinator to its workers only, never in a "
                        + "result");
            }
            if (shared.refusesTasks()) {
                throw new KryoException("a function or job holds " + shared + ", which was closed: share the value "
                        + "again (pool.share(value)) and hold the new handle");
            }
            if (!format.isCheck() && (shared.id() == 0 || !format.shared().holds(shared))) {
                throw new KryoException("a function or job holds " + shared + ", which was not shared with this pool: "
                        + "share the value with the pool that runs it (pool.share(value))");
            }
            output.writeVarLong(shared.id(), true);
        }

        @Override
        public SharedValue<?> read(Kryo kryo, Input input, Class<? extends SharedValue<?>> type) {
            long id = input.readVarLong(true);
            SharedValue<?> shared = format.shared().get(id);
            if (shared == null) {
                throw new KryoException("shared value " + id + " has not arrived");
            }
            if (shared.problem() != null) {
                throw new KryoException(shared.problem());
            }
            return shared;
        }
    }

    /** A per-worker value as its set-up; only a worker reads one (a coordinator has no use for a worker's). */
    static final class WorkerLocalSerializer extends Serializer<WorkerLocal<?>> {
        private final WireFormat format;

        WorkerLocalSerializer(WireFormat format) {
            this.format = format;
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, WorkerLocal<?> local) {
            kryo.writeClassAndObject(output, local.setup());
        }

        @Override
        public WorkerLocal<?> read(Kryo kryo, Input input, Class<? extends WorkerLocal<?>> type) {
            if (!format.isWorker()) {
                throw new KryoException("a per-worker value travels from the coordinator to its workers only");
            }
            Object setup = kryo.readClassAndObject(input);
            if (!(setup instanceof WorkerLocal.Setup<?> made)) {
                throw new KryoException("a per-worker value's set-up arrived as "
                        + (setup == null ? "null" : setup.getClass().getName()));
            }
            return WorkerLocal.of(made);
        }
    }
}
