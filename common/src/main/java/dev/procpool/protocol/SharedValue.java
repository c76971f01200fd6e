package dev.procpool.protocol;

import dev.procpool.job.Shared;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one implementation of {@link Shared}: on a thread of the sharing JVM, the value itself; in a worker, what the
 * worker received under the value's id, inline or as a file it mapped. Only its id travels inside a job or function
 * (see {@link WireFormat}); the value travels once per worker, before, as a {@link ShareValue} or {@link ShareFile}.
 * Thread-safe: a mapped array is copied to the heap at most once, under this object's lock.
 */
public final class SharedValue<T> implements Shared<T> {

    /** The element type of a shared primitive array. */
    public enum Element {
        DOUBLE(ValueLayout.JAVA_DOUBLE),
        LONG(ValueLayout.JAVA_LONG),
        INT(ValueLayout.JAVA_INT),
        BYTE(ValueLayout.JAVA_BYTE);

        private final ValueLayout layout;

        Element(ValueLayout layout) {
            this.layout = layout;
        }

        /** Bytes per element. */
        public long bytes() {
            return layout.byteSize();
        }

        /** The element type of {@code value}, if it is one of the four primitive arrays; null otherwise. */
        public static Element of(Object value) {
            return value instanceof double[] ? DOUBLE
                    : value instanceof long[] ? LONG
                    : value instanceof int[] ? INT
                    : value instanceof byte[] ? BYTE
                    : null;
        }
    }

    private final long id;
    /** The value; in a worker that mapped it, null until copied from the mapping. */
    private volatile T value;
    /** A worker's mapping of a large array; null otherwise. */
    private final MemorySegment mapped;
    private final Element element;
    /** On a coordinator, the file the array was written to for local workers; null if it travels inline. */
    private final Path file;
    /** In a worker, why the value could not be had (its file could not be mapped); null when it is there. */
    private final String problem;

    private SharedValue(long id, T value, MemorySegment mapped, Element element, Path file, String problem) {
        this.id = id;
        this.value = value;
        this.mapped = mapped;
        this.element = element;
        this.file = file;
        this.problem = problem;
    }

    /** A value shared with the runners of this JVM: it never travels. */
    public static <T> SharedValue<T> local(T value) {
        return new SharedValue<>(0, value, null, Element.of(value), null, null);
    }

    /**
     * A value shared with a process pool under {@code id}: sent to each worker once, as the file {@code file} if that
     * is not null, inline otherwise.
     */
    public static <T> SharedValue<T> pooled(long id, T value, Path file) {
        return new SharedValue<>(id, value, null, Element.of(value), file, null);
    }

    /** In a worker: the value its coordinator sent inline. */
    public static SharedValue<Object> received(long id, Object value) {
        return new SharedValue<>(id, value, null, Element.of(value), null, null);
    }

    /**
     * In a worker: an array its coordinator wrote to {@code file}, mapped read-only for the life of the worker; or, if
     * the file cannot be mapped, an entry saying why.
     */
    public static SharedValue<Object> mapped(long id, Path file, Element element, long length) {
        long bytes = length * element.bytes();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() < bytes) {
                return new SharedValue<>(id, null, null, element, null, "the shared file " + file + " holds "
                        + channel.size() + " bytes, not " + bytes);
            }
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, bytes, Arena.ofShared());
            return new SharedValue<>(id, null, segment.asReadOnly(), element, null, null);
        } catch (IOException | RuntimeException e) {
            return new SharedValue<>(id, null, null, element, null, "cannot map the shared file " + file + " ("
                    + e + "): a worker reads a large shared array from a file its coordinator wrote, so it must run "
                    + "on the coordinator's machine");
        }
    }

    /** The id it travels under; 0 for a value shared on threads alone. */
    public long id() {
        return id;
    }

    /** The element type, if the value is a primitive array; null otherwise. */
    public Element element() {
        return element;
    }

    /** On a coordinator, the file local workers map; null if the value travels inline. */
    public Path file() {
        return file;
    }

    /** In a worker, why the value could not be had; null when it is there. */
    public String problem() {
        return problem;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get() {
        T known = value;
        if (known != null || mapped == null) {
            return known;
        }
        synchronized (this) {
            if (value == null) {
                value = (T) switch (element) {
                    case DOUBLE -> mapped.toArray(ValueLayout.JAVA_DOUBLE);
                    case LONG -> mapped.toArray(ValueLayout.JAVA_LONG);
                    case INT -> mapped.toArray(ValueLayout.JAVA_INT);
                    case BYTE -> mapped.toArray(ValueLayout.JAVA_BYTE);
                };
            }
            return value;
        }
    }

    @Override
    public MemorySegment segment() {
        if (mapped != null) {
            return mapped;
        }
        Object array = value;
        MemorySegment view = array instanceof double[] doubles ? MemorySegment.ofArray(doubles)
                : array instanceof long[] longs ? MemorySegment.ofArray(longs)
                : array instanceof int[] ints ? MemorySegment.ofArray(ints)
                : array instanceof byte[] bytes ? MemorySegment.ofArray(bytes)
                : null;
        if (view == null) {
            throw new UnsupportedOperationException("only a shared double[], long[], int[] or byte[] is memory; this "
                    + "is a " + (array == null ? "null" : array.getClass().getName()) + ": use get()");
        }
        return view.asReadOnly();
    }

    @Override
    public String toString() {
        return "Shared[" + id + (element == null ? "" : ", " + element.name().toLowerCase(java.util.Locale.ROOT)
                + " array") + "]";
    }
}
