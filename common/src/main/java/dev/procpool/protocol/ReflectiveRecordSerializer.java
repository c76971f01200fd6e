package dev.procpool.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;

/**
 * Serializes a record component by component through its accessors and canonical constructor, with plain
 * reflection. Kryo's own record serializer does the same but is built to run on Java 8, through layers of
 * reflection that cost a fresh JVM about 15 ms before its first task (measured); this one costs a fraction of a
 * millisecond. Components are written as Kryo writes them: primitives and final types without a class id, others
 * with one, so only registered classes can appear. The canonical constructor checks what is read; if it refuses,
 * decoding fails. Thread-safe once built, like the Kryo it belongs to is not.
 */
final class ReflectiveRecordSerializer<T> extends Serializer<T> {

    private final Method[] accessors;
    private final Class<?>[] types;
    private final Constructor<T> constructor;

    ReflectiveRecordSerializer(Class<T> type) {
        RecordComponent[] components = type.getRecordComponents();
        accessors = new Method[components.length];
        types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            accessors[i] = components[i].getAccessor();
            accessors[i].setAccessible(true);
            types[i] = components[i].getType();
        }
        try {
            constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("record " + type.getName() + " has no canonical constructor", e);
        }
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, T record) {
        for (int i = 0; i < accessors.length; i++) {
            Object value;
            try {
                value = accessors[i].invoke(record);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new KryoException("cannot read component " + i + " of " + record.getClass().getName(), e);
            }
            if (types[i].isPrimitive()) {
                kryo.writeObject(output, value);
            } else if (kryo.isFinal(types[i])) {
                kryo.writeObjectOrNull(output, value, types[i]);
            } else {
                kryo.writeClassAndObject(output, value);
            }
        }
    }

    @Override
    public T read(Kryo kryo, Input input, Class<? extends T> type) {
        Object[] values = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            if (types[i].isPrimitive()) {
                values[i] = kryo.readObject(input, types[i]);
            } else if (kryo.isFinal(types[i])) {
                values[i] = kryo.readObjectOrNull(input, types[i]);
            } else {
                values[i] = kryo.readClassAndObject(input);
            }
        }
        try {
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            throw new KryoException("the record " + type.getName() + " refused what was read: " + e.getCause(), e);
        } catch (InstantiationException | IllegalAccessException | IllegalArgumentException e) {
            throw new KryoException("cannot build a " + type.getName() + " from what was read: " + e, e);
        }
    }
}
