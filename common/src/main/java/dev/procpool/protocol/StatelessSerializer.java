package dev.procpool.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

/**
 * A class with no instance fields ({@link WireKind#STATELESS}): nothing but its class id travels, and the reader makes
 * an instance with the class's no-argument constructor. Only a worker reads one (a job or function its coordinator
 * sends); a coordinator refuses one from a worker, which has no reason to send it. Thread-safe once built.
 */
final class StatelessSerializer<T> extends Serializer<T> {

    private final Class<T> type;
    /** Null where instances are refused on reading. */
    private final Constructor<T> constructor;

    StatelessSerializer(Class<T> type, boolean makes) {
        this.type = type;
        Constructor<T> found = null;
        if (makes) {
            try {
                found = type.getDeclaredConstructor();
                found.setAccessible(true);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(type.getName() + " has no no-argument constructor", e);
            }
        }
        this.constructor = found;
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, T value) {
        // Its class says everything.
    }

    @Override
    public T read(Kryo kryo, Input input, Class<? extends T> requested) {
        if (constructor == null) {
            throw new KryoException("a " + type.getName() + " (a class made by its constructor) is accepted from a "
                    + "coordinator only");
        }
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw new KryoException("the constructor of " + type.getName() + " threw " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            throw new KryoException("cannot make a " + type.getName() + ": " + e, e);
        }
    }
}
