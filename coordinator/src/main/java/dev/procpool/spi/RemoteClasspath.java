package dev.procpool.spi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The workers' class path packed for the trip to other hosts: each entry a file (a class directory packed as a jar)
 * with its place in a host's cache, {@code ~/.cache/procpool/files/HASH/NAME}, named by the hash of its content, so
 * that a file already there is never sent again and a changed one never taken for the old. Packed once per launcher,
 * copied to each host; immutable once made, and {@link #close()} deletes the jars it packed.
 */
final class RemoteClasspath implements AutoCloseable {

    /** Where copied files go on a host, relative to the home directory a command starts in. */
    static final String CACHE = ".cache/procpool/files";

    /** One entry: the file sent, where it goes in a host's cache, and whether it was packed for the trip. */
    private record Entry(Path file, String remote, boolean packed) {
    }

    private final List<Entry> entries;

    private RemoteClasspath(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Packs {@code classpath} as {@link ClasspathFile} does: files as they are, directories as jars of their files (the
     * same classes give the same jar and the same hash).
     *
     * @throws IOException naming an entry that does not exist or cannot be read
     */
    static RemoteClasspath pack(List<Path> classpath) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try {
            for (Path path : classpath) {
                ClasspathFile file = ClasspathFile.of(path);
                entries.add(new Entry(file.file(), file.under(CACHE), !file.file().equals(path)));
            }
        } catch (IOException | RuntimeException e) {
            new RemoteClasspath(entries).close();
            throw e;
        }
        return new RemoteClasspath(entries);
    }

    /** The class path as the host sees it: paths relative to the home directory its commands start in. */
    List<String> remotePaths() {
        return entries.stream().map(Entry::remote).toList();
    }

    /**
     * Copies to the host behind {@code connection} the files its cache lacks, each through a temporary name that only
     * this copy uses (two coordinators may fill one cache at once), then renamed into place.
     *
     * @return how many files were copied
     * @throws IOException saying which file could not be copied, in the host's words
     */
    int copyTo(SshConnection connection, Duration timeout) throws IOException {
        StringBuilder check = new StringBuilder();
        for (Entry entry : entries) {
            String path = RemoteShell.quote(entry.remote());
            check.append("test -f ").append(path).append(" || echo ").append(path).append("; ");
        }
        ShortCommand.Result missing = connection.run(check.toString(), null, timeout);
        if (missing.status() != 0) {
            throw new IOException("cannot look into its cache " + CACHE + ": " + missing.complaint());
        }
        Set<String> absent = missing.stdout().lines().map(String::strip).collect(Collectors.toSet());
        int copied = 0;
        for (Entry entry : entries) {
            if (!absent.contains(entry.remote())) {
                continue;
            }
            String path = RemoteShell.quote(entry.remote());
            String directory = RemoteShell.quote(entry.remote().substring(0, entry.remote().lastIndexOf('/')));
            String partial = path + ".$$.part"; // the shell's pid: a name no other copy uses
            ShortCommand.Result result = connection.run("mkdir -p " + directory + " && cat > " + partial
                    + " && mv -f " + partial + " " + path + " || { rm -f " + partial + "; exit 1; }", entry.file(),
                    timeout);
            if (result.status() != 0) {
                throw new IOException("cannot copy " + entry.file().getFileName() + " into " + CACHE + " there: "
                        + result.complaint());
            }
            copied++;
        }
        return copied;
    }

    /** Deletes the jars this class packed. Idempotent. */
    @Override
    public void close() {
        for (Entry entry : entries) {
            if (entry.packed()) {
                try {
                    Files.deleteIfExists(entry.file());
                } catch (IOException e) {
                    entry.file().toFile().deleteOnExit(); // a temporary file: at the latest, it goes with this JVM
                }
            }
        }
    }
}
