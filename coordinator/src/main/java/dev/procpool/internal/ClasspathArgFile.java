package dev.procpool.internal;

import dev.procpool.WorkerStartException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A worker's class path in a file the {@code java} launcher reads ({@code java @file}), for a class path too long to
 * be one argument: Linux takes at most 128 KiB per argument, and a program of about a thousand jars passes that. The
 * file holds {@code -cp "..."} in the launcher's syntax, in procpool's temporary directory ({@link TempFiles}); the pool
 * that wrote it deletes it when it closes or its JVM exits, and the next coordinator if this one was killed. Stateless.
 */
public final class ClasspathArgFile {

    /**
     * A joined class path of more bytes than this goes in a file: half the kernel's limit, well clear of it. The kernel
     * counts bytes, in UTF-8 where a path is not ASCII: a character may take three or four of them.
     */
    public static final int MAX_ARGUMENT_BYTES = 64 * 1024;

    private ClasspathArgFile() {
    }

    /**
     * Writes {@code classpath} to a new file if, joined, it takes more than {@link #MAX_ARGUMENT_BYTES} in UTF-8.
     *
     * @return the file, or null if the class path fits in an argument
     * @throws WorkerStartException if the file cannot be written
     */
    public static Path writeIfLong(List<Path> classpath) {
        String joined = String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList());
        int bytes = joined.getBytes(StandardCharsets.UTF_8).length;
        if (bytes <= MAX_ARGUMENT_BYTES) {
            return null;
        }
        try {
            Path file = TempFiles.create(TempFiles.systemTemp(), "classpath", ".args");
            Files.writeString(file, "-cp \"" + quoted(joined) + "\"\n", StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new WorkerStartException("cannot start workers: their class path of " + classpath.size()
                    + " entries (" + bytes + " bytes) is too long for one argument, and the file to "
                    + "pass it in cannot be written to " + TempFiles.systemTemp() + " (" + e
                    + "); shorten the class path or free the temporary directory");
        }
    }

    /** Inside the launcher's double quotes, a backslash and a double quote are escaped with a backslash. */
    static String quoted(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Deletes a file {@link #writeIfLong} wrote; null is nothing. */
    public static void delete(Path file) {
        TempFiles.delete(file);
    }
}
