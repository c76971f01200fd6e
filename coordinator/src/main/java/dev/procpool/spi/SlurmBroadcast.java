package dev.procpool.spi;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Copies a worker's class path onto the local disk of every node of a Slurm allocation with {@code sbcast}, each file
 * under {@code DIRECTORY/HASH/NAME} by the hash of its content, and only the files some node lacks. One step on every
 * node first lists what is missing (and makes its directory); {@code sbcast} copies each missing file under a name of
 * this copy's own; a last step on every node renames the copies into place, so that no file in place is ever half
 * written or rewritten while a worker of another job reads it. Stateless.
 */
final class SlurmBroadcast {

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration COPY_TIMEOUT = Duration.ofSeconds(120);
    /** Prints each path given that is not a file, after making its directory; fails if a directory cannot be made. */
    private static final String LIST_MISSING = "for f; do [ -f \"$f\" ] || { mkdir -p \"${f%/*}\" && echo \"$f\"; } "
            + "|| exit 1; done";
    /**
     * Renames each pair given, the first of the pair to the second; where the first is gone and the second is there,
     * another node that shares this directory (a shared file system after all) has renamed it already.
     */
    private static final String RENAME = "while [ $# -gt 1 ]; do mv -f \"$1\" \"$2\" 2>/dev/null "
            + "|| { [ ! -e \"$1\" ] && [ -f \"$2\" ]; } || { mv -f \"$1\" \"$2\"; exit 1; }; shift 2; done";

    private SlurmBroadcast() {
    }

    /**
     * Makes sure every entry of {@code classpath} is on every node of {@code allocation} under {@code directory}.
     *
     * @param notices told how many files were copied, if any
     * @return where each entry is on the nodes, by entry
     * @throws IOException if a node cannot take the files: Slurm's or the shell's own words, and what to do
     */
    static Map<Path, String> copy(SlurmAllocation allocation, Path directory, List<Path> classpath,
            Consumer<String> notices) throws IOException {
        List<ClasspathFile> files = new ArrayList<>();
        for (Path entry : classpath) {
            files.add(ClasspathFile.of(entry));
        }
        Map<Path, String> there = new LinkedHashMap<>();
        for (ClasspathFile file : files) {
            there.put(file.entry(), file.under(directory.toString()));
        }
        List<String> check = new ArrayList<>(List.of("/bin/sh", "-c", LIST_MISSING, "sh"));
        check.addAll(new LinkedHashSet<>(there.values()));
        Set<String> missing = new LinkedHashSet<>(onEveryNode(allocation, check, directory).stdout().lines()
                .map(String::strip).filter(line -> !line.isEmpty()).toList());
        if (missing.isEmpty()) {
            return there;
        }
        String suffix = ".part-" + allocation.jobId() + "-" + ProcessHandle.current().pid();
        List<String> rename = new ArrayList<>(List.of("/bin/sh", "-c", RENAME, "sh"));
        int copies = 0;
        long bytes = 0;
        for (ClasspathFile file : files) {
            String target = there.get(file.entry());
            if (missing.remove(target)) {
                ShortCommand.Result copied = ShortCommand.run(List.of("sbcast", "--jobid=" + allocation.jobId(),
                        "--force", file.file().toString(), target + suffix), COPY_TIMEOUT);
                if (copied.status() != 0) {
                    throw new IOException("sbcast could not copy " + file.entry().getFileName() + " to " + directory
                            + " on the nodes of Slurm job " + allocation.jobId() + ": " + copied.complaint());
                }
                rename.add(target + suffix);
                rename.add(target);
                copies++;
                bytes += file.file().toFile().length();
            }
        }
        onEveryNode(allocation, rename, directory);
        notices.accept("copied " + copies + (copies == 1 ? " class path file (" : " class path files (") + (bytes + 1023) / 1024
                + " KiB) to " + directory + " on the " + allocation.nodes() + " node(s) of Slurm job "
                + allocation.jobId() + " with sbcast");
        return there;
    }

    /** Runs {@code command} once on every node of the allocation, beside any workers, and fails if any node fails. */
    private static ShortCommand.Result onEveryNode(SlurmAllocation allocation, List<String> command, Path directory)
            throws IOException {
        ShortCommand.Result result = allocation.runOnEveryNode(command, STEP_TIMEOUT);
        if (result.status() != 0) {
            throw new IOException("cannot use " + directory + " on the nodes of Slurm job " + allocation.jobId() + ": "
                    + result.complaint() + "; name a directory each node can write to");
        }
        return result;
    }
}
