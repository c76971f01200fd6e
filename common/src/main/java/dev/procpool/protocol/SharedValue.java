package dev.procpool.protocol;

import dev.procpool.job.Shared;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one implementation of {@link Shared}: on a thread of the sharing JVM, the value itself; in a worker, what the
 * worker received under the value's id, inline or as a file it mapped. Only its id travels inside a job or function
 * (see {@link WireFormat}); the value travels once per worker, before, as a {@link ShareValue} or {@link ShareFile}.
 * In the sharing JVM each call of a runner whose job or function holds it takes a hold on it ({@link #addHold()}) until
 * the call is done: closing it refuses new holds, and it is let go of when the last hold is given back. Thread-safe: a
 * mapped array is copied to the heap at most once, under this object's lock; closing and counting holds take the same
 * lock.
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

    /** Which JVM's handle this is, which decides what closing it does. */
    private enum Side {
        /** A value shared with the runners of this JVM: it never travels. */
        LOCAL,
        /** A coordinator's, shared with its workers. */
        POOLED,
        /** A worker's, received from its coordinator. */
        RECEIVED
    }

    private final long id;
    private final Side side;
    /** The value; in a worker that mapped it, null until copied from the mapping; null once closed. */
    private volatile T value;
    /** A worker's mapping of a large array; null otherwise. */
    private final MemorySegment mapped;
    /** The arena of {@link #mapped}, closed when the coordinator closes the value; null otherwise. */
    private final Arena arena;
    private final Element element;
    /** On a coordinator, the file the array was written to for local workers; null if it travels inline. */
    private final Path file;
    /** On a coordinator, the value as encoded at share() for workers that receive it inline; null otherwise. */
    private volatile byte[] encoded;
    /** The array's length in elements, as it was shared; -1 if the value is not one of the four primitive arrays. */
    private final long length;
    /** In a worker, why the value could not be had (its file could not be mapped); null when it is there. */
    private final String problem;
    /** On a coordinator, what closing the value tells its pool; null otherwise. */
    private final Runnable onClose;
    private volatile boolean closed;
    /** In the sharing JVM, the holds of the calls that may read it and are not done; guarded by this. */
    private int holds;
    /** Set once closed and nothing may read it any more; see {@link #release()}. */
    private volatile boolean released;

    private SharedValue(long id, Side side, T value, Arena arena, MemorySegment mapped, Element element, Path file,
            byte[] encoded, long length, String problem, Runnable onClose) {
        this.id = id;
        this.side = side;
        this.value = value;
        this.arena = arena;
        this.mapped = mapped;
        this.element = element;
        this.file = file;
        this.encoded = encoded;
        this.length = length;
        this.problem = problem;
        this.onClose = onClose;
    }

    /** A value shared with the runners of this JVM: it never travels. */
    public static <T> SharedValue<T> local(T value) {
        return new SharedValue<>(0, Side.LOCAL, value, null, null, Element.of(value), null, null, lengthOf(value), null,
                null);
    }

    /**
     * A value shared with a process pool under {@code id}: sent to each worker once, as the file {@code file} if that
     * is not null, else inline as {@code encoded}, the value encoded at share(). Closing it runs {@code onClose} once.
     */
    public static <T> SharedValue<T> pooled(long id, T value, Path file, byte[] encoded, Runnable onClose) {
        if ((file == null) == (encoded == null)) {
            throw new IllegalArgumentException("a pooled shared value travels either as a file or inline");
        }
        return new SharedValue<>(id, Side.POOLED, value, null, null, Element.of(value), file, encoded, lengthOf(value),
                null, onClose);
    }

    /** In a worker: the value its coordinator sent inline. */
    public static SharedValue<Object> received(long id, Object value) {
        return new SharedValue<>(id, Side.RECEIVED, value, null, null, Element.of(value), null, null, lengthOf(value),
                null, null);
    }

    /** In a worker: an entry for a value that could not be had, saying why; the jobs that hold it fail with it. */
    public static SharedValue<Object> missing(long id, String problem) {
        return new SharedValue<>(id, Side.RECEIVED, null, null, null, null, null, null, -1, problem, null);
    }

    /**
     * In a worker: an array its coordinator wrote to {@code file}, mapped read-only until the coordinator closes the
     * value (or the worker ends); or, if the file cannot be mapped, an entry saying why.
     */
    public static SharedValue<Object> mapped(long id, Path file, Element element, long length) {
        long bytes = length * element.bytes();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() < bytes) {
                return missing(id, "the shared file " + file + " holds " + channel.size() + " bytes, not " + bytes);
            }
            Arena arena = Arena.ofShared();
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, bytes, arena);
            return new SharedValue<>(id, Side.RECEIVED, null, arena, segment.asReadOnly(), element, null, null, length,
                    null, null);
        } catch (NoSuchFileException e) {
            return missing(id, "the shared file " + file + " is gone: something other than procpool deleted it while "
                    + "the value was shared; share the value again, and let nothing else delete procpool's temporary "
                    + "files (procpool-* in /dev/shm and the temporary directory)");
        } catch (IOException | RuntimeException e) {
            return missing(id, "cannot map the shared file " + file + " (" + e + "): workers map a large shared array "
                    + "from the file their coordinator wrote on its machine, so check that this worker's user may "
                    + "read it there");
        }
    }

    private static long lengthOf(Object value) {
        return Element.of(value) == null ? -1 : java.lang.reflect.Array.getLength(value);
    }

    /** The id it travels under; 0 for a value shared on threads alone. */
    public long id() {
        return id;
    }

    /** The element type, if the value is a primitive array; null otherwise. */
    public Element element() {
        return element;
    }

    /** The array's length in elements, as it was shared; -1 if the value is not one of the four primitive arrays. */
    public long length() {
        return length;
    }

    /** On a coordinator, the file local workers map; null if the value travels inline. */
    public Path file() {
        return file;
    }

    /**
     * On a coordinator, the value as it was encoded at share(), for the workers that receive it inline; null if it
     * travels as a file, or was released.
     */
    public byte[] encoded() {
        return encoded;
    }

    /** In a worker, why the value could not be had; null when it is there. */
    public String problem() {
        return problem;
    }

    /** Whether it was closed. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (side == Side.RECEIVED) {
            throw new UnsupportedOperationException(this + " is closed by the JVM that shared it, not in a worker");
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (holds > 0) {
                return; // the last call that holds it lets go of it
            }
        }
        letGo();
    }

    /**
     * Takes a hold on the value for a call that may read it, until {@link #removeHold()}: while one is held, closing
     * the value refuses new calls but keeps it readable.
     *
     * @return false if it was closed: nothing is held, and the call must be refused
     */
    public synchronized boolean addHold() {
        if (closed) {
            return false;
        }
        holds++;
        return true;
    }

    /** A call gives back its hold from {@link #addHold()}; if the value was closed and that was the last, lets go. */
    public void removeHold() {
        synchronized (this) {
            if (holds == 0) {
                throw new IllegalStateException(this + " has no hold to give back");
            }
            holds--;
            if (!closed || holds > 0) {
                return;
            }
        }
        letGo();
    }

    /** How many holds from {@link #addHold()} are not given back yet: the calls that hold the value. */
    public synchronized int holds() {
        return holds;
    }

    /**
     * Whether no more tasks may read it: it was closed, and no hold taken by {@link #addHold()} before the close is
     * left (such a call may still submit tasks that read it, lazily).
     */
    public synchronized boolean refusesTasks() {
        return released || closed && holds == 0;
    }

    /** Closed, and no call left reads it: a pool's value goes to its pool, which waits for its tasks; else released. */
    private void letGo() {
        if (onClose != null) {
            onClose.run();
        } else {
            release();
        }
    }

    /** Whether it was released: closed, and no task that may read it is left. */
    public boolean isReleased() {
        return released;
    }

    /**
     * Once it was closed and the tasks that may read it are done, lets go of what is left of it: on a coordinator, its
     * encoding; in a worker (on its computing thread, once the tasks sent before the coordinator closed the value have
     * run), the value, and unmaps its file.
     */
    public void release() {
        synchronized (this) {
            closed = true;
            released = true;
            value = null;
            encoded = null;
        }
        if (arena != null) {
            arena.close();
        }
    }

    private void checkOpen() {
        if (released) {
            throw new IllegalStateException(this + " was closed: a shared value can be read until it is closed and the "
                    + "calls made before the close are done");
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get() {
        T known = value;
        checkOpen();
        if (known != null || mapped == null) {
            return known;
        }
        synchronized (this) {
            checkOpen();
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
        Object array = value;
        checkOpen();
        if (mapped != null) {
            return mapped;
        }
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
