package dev.procpool.protocol;

import static dev.procpool.protocol.BoundedSerializers.readString;
import static dev.procpool.protocol.BoundedSerializers.writeString;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire encoding of what a coordinator tells a worker before tasks: the classes it adds, the jobs it defines and
 * forgets, the values it shares. Field by field, every declared count checked before it is used. Stateless and
 * thread-safe.
 */
final class DefinitionSerializers {

    private DefinitionSerializers() {
    }

    /** Each class as its name, its kind and its shape; the ids follow from the first. */
    static final class TypeDefinitionsSerializer extends Serializer<TypeDefinitions> {
        private static final WireKind[] KINDS = WireKind.values();

        TypeDefinitionsSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, TypeDefinitions definitions) {
            output.writeVarInt(definitions.firstId(), true);
            output.writeVarInt(definitions.types().size(), true);
            for (WireType type : definitions.types()) {
                writeString(output, type.className());
                output.writeByte(type.kind().ordinal());
                output.writeLong(type.shape());
            }
        }

        @Override
        public TypeDefinitions read(Kryo kryo, Input input, Class<? extends TypeDefinitions> type) {
            int firstId = input.readVarInt(true);
            int count = input.readVarInt(true);
            // Each class takes at least a name's length, a kind and a shape: ten bytes.
            if (count < 0 || count > WireFormat.MAX_ADDED_TYPES || count > (input.limit() - input.position()) / 10) {
                throw new KryoException("type definitions declare " + count + " classes");
            }
            List<WireType> types = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String className = readString(input);
                int kind = input.readByte();
                if (className == null || kind < 0 || kind >= KINDS.length) {
                    throw new KryoException("a type definition without a class name or of unknown kind " + kind);
                }
                types.add(new WireType(firstId + i, className, KINDS[kind], input.readLong(), null, null));
            }
            return new TypeDefinitions(firstId, types);
        }
    }

    static final class JobDefinitionSerializer extends Serializer<JobDefinition> {
        JobDefinitionSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, JobDefinition definition) {
            output.writeVarLong(definition.key(), true);
            writeString(output, definition.name());
            writeString(output, definition.className());
            output.writeVarInt(definition.typeIds().length, true);
            for (int id : definition.typeIds()) {
                output.writeVarInt(id, true);
            }
            output.writeVarInt(definition.value().length, true);
            output.writeBytes(definition.value());
        }

        @Override
        public JobDefinition read(Kryo kryo, Input input, Class<? extends JobDefinition> type) {
            long key = input.readVarLong(true);
            String name = readString(input);
            String className = readString(input);
            if (name == null || className == null) {
                throw new KryoException("a job definition without a name or class");
            }
            int count = input.readVarInt(true);
            if (count < 0 || count > input.limit() - input.position()) {
                throw new KryoException("a job definition declares " + count + " classes");
            }
            int[] typeIds = new int[count];
            for (int i = 0; i < count; i++) {
                typeIds[i] = input.readVarInt(true);
            }
            int length = input.readVarInt(true);
            if (length < 0 || length > input.limit() - input.position()) {
                throw new KryoException("a job definition declares " + length + " bytes of job");
            }
            return new JobDefinition(key, name, className, typeIds, input.readBytes(length));
        }
    }

    static final class ForgetSerializer extends Serializer<Forget> {
        ForgetSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, Forget forget) {
            writeLongs(output, forget.keys());
        }

        @Override
        public Forget read(Kryo kryo, Input input, Class<? extends Forget> type) {
            return new Forget(readLongs(input, "forget", "jobs"));
        }
    }

    static final class UnshareSerializer extends Serializer<Unshare> {
        UnshareSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, Unshare unshare) {
            writeLongs(output, unshare.ids());
        }

        @Override
        public Unshare read(Kryo kryo, Input input, Class<? extends Unshare> type) {
            return new Unshare(readLongs(input, "unshare", "shared values"));
        }
    }

    private static void writeLongs(Output output, long[] values) {
        output.writeVarInt(values.length, true);
        for (long value : values) {
            output.writeVarLong(value, true);
        }
    }

    /** A count, then that many longs; the count is checked against the bytes left (each takes one at least). */
    private static long[] readLongs(Input input, String message, String what) {
        int count = input.readVarInt(true);
        if (count < 0 || count > input.limit() - input.position()) {
            throw new KryoException(message + " declares " + count + " " + what);
        }
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = input.readVarLong(true);
        }
        return values;
    }

    static final class ShareValueSerializer extends Serializer<ShareValue> {
        ShareValueSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, ShareValue share) {
            output.writeVarLong(share.id(), true);
            output.writeVarInt(share.value().length, true);
            output.writeBytes(share.value());
        }

        @Override
        public ShareValue read(Kryo kryo, Input input, Class<? extends ShareValue> type) {
            long id = input.readVarLong(true);
            int length = input.readVarInt(true);
            if (length < 0 || length > input.limit() - input.position()) {
                throw new KryoException("a shared value declares " + length + " bytes");
            }
            return new ShareValue(id, input.readBytes(length));
        }
    }

    static final class ShareFileSerializer extends Serializer<ShareFile> {
        private static final SharedValue.Element[] ELEMENTS = SharedValue.Element.values();

        ShareFileSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, ShareFile share) {
            output.writeVarLong(share.id(), true);
            writeString(output, share.path());
            output.writeByte(share.element().ordinal());
            output.writeVarLong(share.length(), true);
        }

        @Override
        public ShareFile read(Kryo kryo, Input input, Class<? extends ShareFile> type) {
            long id = input.readVarLong(true);
            String path = readString(input);
            int element = input.readByte();
            long length = input.readVarLong(true);
            if (path == null || element < 0 || element >= ELEMENTS.length || length < 0) {
                throw new KryoException("a shared file without a path, of unknown element type " + element
                        + " or of length " + length);
            }
            return new ShareFile(id, path, ELEMENTS[element], length);
        }
    }
}
