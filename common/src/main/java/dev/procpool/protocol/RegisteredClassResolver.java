package dev.procpool.protocol;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.util.DefaultClassResolver;

/**
 * A class resolver that accepts only registered class ids. Kryo can also name a class by its string name; even
 * with registration required it reads that name (allocating from a length the peer declares) and loads the class
 * before refusing it. Here a class name on the wire is refused before a byte of it is read. Not thread-safe, like
 * the Kryo instance it belongs to.
 */
final class RegisteredClassResolver extends DefaultClassResolver {

    @Override
    protected Registration readName(Input input) {
        throw new KryoException("a class named by its name instead of a registered id");
    }
}
