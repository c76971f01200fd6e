package dev.procpool.protocol;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;

/**
 * One class of the user's in a {@link WireFormat}'s table: its id, its name, how it travels, and a hash of its shape
 * (a record's components, an enum's constants), which both ends compute from their own class so that a worker whose
 * class path holds another version of the class is told apart. Immutable.
 *
 * @param id the Kryo registration id, the same on both ends
 * @param className the class's binary name
 * @param kind how it travels
 * @param shape the hash of its shape, as the coordinator's class has it
 * @param type the class, or null on a worker that could not load it (or loaded another version)
 * @param problem why it is not available here; null when it is
 */
public record WireType(int id, String className, WireKind kind, long shape, Class<?> type, String problem) {

    /** Whether this end can encode and decode it. */
    public boolean available() {
        return type != null;
    }

    /**
     * The hash of what the encoding of {@code type} depends on beyond its name: a record travels as its components in
     * order, an enum as an ordinal, so two builds that differ there would decode each other's bytes into wrong values.
     */
    public static long shapeOf(Class<?> type, WireKind kind) {
        StringBuilder shape = new StringBuilder(kind.name());
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                shape.append(' ').append(component.getType().getTypeName()).append(' ').append(component.getName());
            }
        } else if (type.isEnum()) {
            for (Object constant : type.getEnumConstants()) {
                shape.append(' ').append(((Enum<?>) constant).name());
            }
        }
        return Fnv.hash64(shape.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** What differs, in words, for a worker that loaded {@code found} under this name. */
    static String describeShape(Class<?> type) {
        if (type.isRecord()) {
            StringBuilder components = new StringBuilder("components (");
            RecordComponent[] all = type.getRecordComponents();
            for (int i = 0; i < all.length; i++) {
                components.append(i == 0 ? "" : ", ").append(all[i].getType().getSimpleName()).append(' ')
                        .append(all[i].getName());
            }
            return components.append(')').toString();
        }
        if (type.isEnum()) {
            StringBuilder constants = new StringBuilder("constants (");
            Object[] all = type.getEnumConstants();
            for (int i = 0; i < all.length; i++) {
                constants.append(i == 0 ? "" : ", ").append(((Enum<?>) all[i]).name());
            }
            return constants.append(')').toString();
        }
        return "shape";
    }
}
