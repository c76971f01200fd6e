package dev.procpool.internal;

import dev.procpool.protocol.SharedValue;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The files a pool writes its large shared arrays to, for its local workers to map: in {@code /dev/shm} where there is
 * one (memory, not disk), else the temporary directory; in the native byte order; deleted when the pool closes (and,
 * failing that, when this JVM exits). A worker's mapping outlives the file's name. Thread-safe.
 */
final class SharedFiles {

    /** Arrays of this many bytes or more go as files; smaller ones travel inline in a frame. */
    static final long MIN_FILE_BYTES = 1 << 20;

    private final List<Path> written = new CopyOnWriteArrayList<>();

    /**
     * Writes {@code array} (one of the four primitive arrays) to a new file, through a mapping of it.
     *
     * @throws IOException if the file cannot be written
     */
    Path write(Object array, SharedValue.Element element) throws IOException {
        Path directory = Path.of("/dev/shm");
        if (!Files.isDirectory(directory) || !Files.isWritable(directory)) {
            directory = Path.of(System.getProperty("java.io.tmpdir"));
        }
        Path file = Files.createTempFile(directory, "procpool-shared-", ".bin");
        written.add(file);
        file.toFile().deleteOnExit();
        MemorySegment source = switch (element) {
            case DOUBLE -> MemorySegment.ofArray((double[]) array);
            case LONG -> MemorySegment.ofArray((long[]) array);
            case INT -> MemorySegment.ofArray((int[]) array);
            case BYTE -> MemorySegment.ofArray((byte[]) array);
        };
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                Arena arena = Arena.ofConfined()) {
            MemorySegment target = channel.map(FileChannel.MapMode.READ_WRITE, 0, source.byteSize(), arena);
            MemorySegment.copy(source, 0, target, 0, source.byteSize());
        }
        return file;
    }

    /** Whether an array of this many bytes goes as a file. */
    static boolean large(long bytes) {
        return bytes >= MIN_FILE_BYTES;
    }

    /** Deletes every file written; what cannot be deleted now goes when this JVM exits. */
    void deleteAll() {
        for (Path file : written) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // deleteOnExit will try again.
            }
        }
        written.clear();
    }

    /** The bytes of a primitive array's elements. */
    static long bytesOf(Object array, SharedValue.Element element) {
        return (long) java.lang.reflect.Array.getLength(array) * element.bytes();
    }
}
