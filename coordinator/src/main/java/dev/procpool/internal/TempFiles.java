package dev.procpool.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a coordinator puts its temporary files (class path argument files, shared arrays): in a directory of
 * procpool's own under a base directory ({@code procpool-USER}, only its user may enter it; the base itself if that
 * directory is not safely ours), each file named by the pid of the JVM that made it. The JVM that made a file deletes
 * it when done with it; a JVM killed outright cannot, so the first file a JVM makes under a base deletes there (in
 * procpool's directory and in the base) the files of JVMs that are gone. Nothing is left to {@code deleteOnExit},
 * whose list only grows. Thread-safe.
 */
final class TempFiles {

    /** Every file's name starts with this, then its kind, the pid and a random part. */
    private static final String PREFIX = "procpool-";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "[a-z]+-(\\d+)-.+");
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    /** The directories this JVM has swept, once each. */
    private static final Set<Path> SWEPT = ConcurrentHashMap.newKeySet();

    private TempFiles() {
    }

    /**
     * Makes a new empty file {@code procpool-KIND-PID-RANDOM.SUFFIX} in procpool's directory under {@code base}, after
     * deleting there, the first time, the files of JVMs that are gone.
     *
     * @param kind a lower-case word: {@code classpath}, {@code shared}
     * @throws IOException if neither procpool's directory nor {@code base} takes the file
     */
    static Path create(Path base, String kind, String suffix) throws IOException {
        Path directory = directoryUnder(base);
        // The base too: the files of a JVM that could not use procpool's directory there.
        for (Path swept : base.equals(directory) ? List.of(base) : List.of(base, directory)) {
            if (SWEPT.add(swept)) {
                deleteOrphans(swept);
            }
        }
        return Files.createTempFile(directory, PREFIX + kind + "-" + ProcessHandle.current().pid() + "-", suffix);
    }

    /** The system's temporary directory. */
    static Path systemTemp() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Procpool's directory under {@code base} for this user, made if need be; {@code base} itself if it cannot be made,
     * or if what is there is not a directory of this user's that only this user may enter (another user's, a link).
     */
    static Path directoryUnder(Path base) {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        Path directory = base.resolve(PREFIX + user);
        try {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            return directory;
        } catch (FileAlreadyExistsException e) {
            return ours(directory) ? directory : base;
        } catch (IOException | UnsupportedOperationException e) {
            return base;
        }
    }

    private static boolean ours(Path directory) {
        try {
            UserPrincipal me = directory.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
            return Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)
                    && me.equals(Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS))
                    && OWNER_ONLY.containsAll(Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Deletes the files in {@code directory} that a JVM no longer running made; what cannot be deleted stays. */
    static void deleteOrphans(Path directory) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + "*")) {
            for (Path file : files) {
                Matcher name = NAME.matcher(file.getFileName().toString());
                if (name.matches() && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && !running(name.group(1))) {
                    delete(file);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Best effort: a directory that cannot be read is left as it is.
        }
    }

    /** Deletes a file if it is there; one that cannot be deleted (another user's, say) stays. Null is nothing. */
    static void delete(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Not ours to delete, or gone with its directory: left as it is.
        }
    }

    private static boolean running(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true; // not a pid: leave it
        }
    }
}
