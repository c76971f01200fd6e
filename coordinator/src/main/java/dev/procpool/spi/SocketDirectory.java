package dev.procpool.spi;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The directory of a launcher's SSH multiplexing sockets: under {@code /tmp} (a socket's path must stay short), only
 * its user may enter it, and its name carries the pid of the JVM that made it. A JVM killed outright cannot remove
 * its own: the next one removes those whose JVM is gone. Stateless.
 */
final class SocketDirectory {

    private static final Path TMP = Path.of("/tmp");
    private static final String PREFIX = "procpool-ssh-";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-.*");

    private SocketDirectory() {
    }

    /** Makes a new directory for this JVM's sockets, after removing those of JVMs that are gone. */
    static Path create() throws IOException {
        removeOrphans(TMP);
        return Files.createTempDirectory(TMP, PREFIX + ProcessHandle.current().pid() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /** Removes the socket directories in {@code parent} whose JVM is no longer running; what cannot be removed stays. */
    static void removeOrphans(Path parent) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path entry : entries) {
                Matcher name = NAME.matcher(entry.getFileName().toString());
                if (name.matches() && Files.isDirectory(entry) && !running(name.group(1))) {
                    removeTree(entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Best effort: another user's directories, or a race with their owner, are not ours to clean.
        }
    }

    private static boolean running(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true; // not a pid: leave it
        }
    }

    private static void removeTree(Path directory) {
        try (Stream<Path> walk = Files.walk(directory)) {
            List<Path> deepestFirst = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path path : deepestFirst) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | RuntimeException e) {
            // Left for the next one.
        }
    }
}
