package dev.procpool.internal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A coordinator's stand-in for {@link TempFilesTest}, run in a JVM of its own (in a PID namespace of its own): makes
 * one temporary file under the base directory given, prints {@code file PATH} and {@code pid PID} (its pid as it sees
 * it), and runs until its stdin ends. Single-threaded.
 */
public final class NamespacePeer {

    private NamespacePeer() {
    }

    public static void main(String[] args) throws IOException {
        Path file = TempFiles.create(Path.of(args[0]), "shared", ".bin");
        System.out.println("file " + file);
        System.out.println("pid " + ProcessHandle.current().pid());
        System.out.flush();
        while (System.in.read() != -1) {
            // Runs, as a live coordinator does, until the test closes its stdin.
        }
    }
}
