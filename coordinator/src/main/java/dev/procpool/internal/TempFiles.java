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
 * directory is not safely ours), each file named by the PID namespace and the pid of the JVM that made it. The JVM
 * that made a file deletes it when done with it; a JVM killed outright cannot, so the first file a JVM makes under a
 * base deletes there (in procpool's directory and in the base) the files of JVMs of its own PID namespace that are
 * gone, under the names earlier builds gave them too ({@link #deleteOrphans}). A file named by another namespace is
 * never deleted: containers that share {@code /dev/shm} or {@code /tmp} each have their own pids, and a pid that is not
 * running here may be a live coordinator there. A JVM that cannot read its namespace writes files no other JVM
 * deletes. Nothing is left to {@code deleteOnExit}, whose list only grows. Thread-safe.
 */
final class TempFiles {

    /** Every file's name starts with this, then its kind, the PID namespace, the pid and a random part. */
    private static final String PREFIX = "procpool-";
    /**
     * The name of a file that may be swept: its kind, {@code ns} and its namespace's number, its pid. Not digits alone
     * where the pid used to be: an earlier build's sweep, which read {@code procpool-KIND-PID-...}, must not take the
     * namespace for a dead pid.
     */
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "[a-z]+-(ns\\d+)-(\\d+)-.+");
    /**
     * The name an earlier build gave a file, {@code procpool-KIND-NAMESPACE-PID-RANDOM.SUFFIX}, the namespace's number
     * alone: three numbers, where the current name has {@code ns} before the first.
     */
    private static final Pattern NUMBERED_NAMESPACE_NAME = Pattern.compile(
            Pattern.quote(PREFIX) + "[a-z]+-(\\d+)-(\\d+)-\\d+\\.[a-z]+");
    /** What {@code /proc/self/ns/pid} links to: {@code pid:[4026531836]}, the namespace's inode number. */
    private static final Pattern NAMESPACE_LINK = Pattern.compile("pid:\\[(\\d+)]");
    /** In a file's name for a JVM whose namespace is not known: not {@code ns} and a number, so no JVM sweeps it. */
    static final String UNKNOWN_NAMESPACE = "nons";
    /** This JVM's PID namespace, or {@link #UNKNOWN_NAMESPACE}. */
    private static final String NAMESPACE = namespaceOf(Path.of("/proc/self/ns/pid"));
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    /** The directories this JVM has swept, once each. */
    private static final Set<Path> SWEPT = ConcurrentHashMap.newKeySet();

    private TempFiles() {
    }

    /**
     * Makes a new empty file {@code procpool-KIND-NAMESPACE-PID-RANDOM.SUFFIX} in procpool's directory under
     * {@code base}, after deleting there, the first time, the files of JVMs of this PID namespace that are gone.
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
        return Files.createTempFile(directory,
                PREFIX + kind + "-" + NAMESPACE + "-" + ProcessHandle.current().pid() + "-", suffix);
    }

    /**
     * The PID namespace that {@code link} (a process's {@code /proc/PID/ns/pid}) names, as its inode number; {@link
     * #UNKNOWN_NAMESPACE} if it cannot be read (no {@code /proc}, another system).
     */
    static String namespaceOf(Path link) {
        try {
            Matcher namespace = NAMESPACE_LINK.matcher(Files.readSymbolicLink(link).toString());
            return namespace.matches() ? "ns" + namespace.group(1) : UNKNOWN_NAMESPACE;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return UNKNOWN_NAMESPACE;
        }
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

    /**
     * Deletes the files in {@code directory} that a JVM of this PID namespace no longer running made; what cannot be
     * deleted stays. A JVM that does not know its namespace deletes nothing: it cannot tell whose pids it sees.
     *
     * <p>Files named by the build before, which named the namespace by its number alone, are swept like the others.
     * Those of the first builds, which named no namespace ({@code procpool-KIND-PID-RANDOM}), are left: one of them may
     * be a live coordinator's in another PID namespace that shares the directory (a container's), and that
     * coordinator's sweep never reads the current names.
     */
    static void deleteOrphans(Path directory) {
        if (NAMESPACE.equals(UNKNOWN_NAMESPACE)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + "*")) {
            for (Path file : files) {
                String pid = pidIfOurs(file.getFileName().toString());
                if (pid != null && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && !running(pid)) {
                    delete(file);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Best effort: a directory that cannot be read is left as it is.
        }
    }

    /**
     * The pid of the JVM that made the file of this name, if that JVM was of this PID namespace; null if the name is
     * another namespace's, says none is known, names none (the first builds), or is not one of procpool's names.
     */
    static String pidIfOurs(String name) {
        Matcher current = NAME.matcher(name);
        if (current.matches()) {
            return current.group(1).equals(NAMESPACE) ? current.group(2) : null;
        }
        Matcher numbered = NUMBERED_NAMESPACE_NAME.matcher(name);
        return numbered.matches() && ("ns" + numbered.group(1)).equals(NAMESPACE) ? numbered.group(2) : null;
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
