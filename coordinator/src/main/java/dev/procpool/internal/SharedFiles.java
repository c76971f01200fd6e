package dev.procpool.internal;

import dev.procpool.protocol.SharedValue;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The files a pool writes its large shared arrays to, for its local workers to map: in {@code /dev/shm} where there is
 * one (memory, not disk), else the temporary directory, in procpool's directory there ({@link TempFiles}); in the
 * native byte order; deleted when their value is closed, or the pool closes, or its JVM exits (the pool's shutdown
 * hook). A worker's mapping outlives the file's name. A file's name carries the PID namespace and pid of the JVM that
 * wrote it: those whose JVM is gone (killed, so it could not delete them) are deleted by the next coordinator of the
 * same namespace that writes one.
 * Thread-safe.
 */
final class SharedFiles {

    /** Arrays of this many bytes or more go as files; smaller ones travel inline in a frame. */
    static final long MIN_FILE_BYTES = 1 << 20;

    private static final int CHUNK_BYTES = 1 << 20;

    private final List<Path> written = new CopyOnWriteArrayList<>();

    /**
     * Writes {@code array} (one of the four primitive arrays) to a new file, through a mapping of it.
     *
     * @throws IOException if the file cannot be written
     */
    Path write(Object array, SharedValue.Element element) throws IOException {
        Path base = Path.of("/dev/shm");
        if (!Files.isDirectory(base) || !Files.isWritable(base)) {
            base = TempFiles.systemTemp();
        }
        Path file = TempFiles.create(base, "shared", ".bin");
        written.add(file);
        MemorySegment source = switch (element) {
            case DOUBLE -> MemorySegment.ofArray((double[]) array);
            case LONG -> MemorySegment.ofArray((long[]) array);
            case INT -> MemorySegment.ofArray((int[]) array);
            case BYTE -> MemorySegment.ofArray((byte[]) array);
        };
        // Written, not mapped: a full file system then fails the write with an IOException, where a store into a
        // mapping would kill the JVM (SIGBUS). The array's bytes go as they are, in native order, a chunk at a time.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES);
            MemorySegment chunkSegment = MemorySegment.ofBuffer(chunk);
            long size = source.byteSize();
            for (long offset = 0; offset < size; offset += CHUNK_BYTES) {
                int length = (int) Math.min(CHUNK_BYTES, size - offset);
                MemorySegment.copy(source, offset, chunkSegment, 0, length);
                chunk.clear().limit(length);
                while (chunk.hasRemaining()) {
                    channel.write(chunk);
                }
            }
        }
        return file;
    }

    /** Whether an array of this many bytes goes as a file. */
    static boolean large(long bytes) {
        return bytes >= MIN_FILE_BYTES;
    }

    /** Deletes one file written (a shared value closed). */
    void delete(Path file) {
        if (written.remove(file)) {
            TempFiles.delete(file);
        }
    }

    /** Deletes every file written. */
    void deleteAll() {
        for (Path file : written) {
            delete(file);
        }
    }

    /** The bytes of a primitive array's elements. */
    static long bytesOf(Object array, SharedValue.Element element) {
        return (long) java.lang.reflect.Array.getLength(array) * element.bytes();
    }
}
