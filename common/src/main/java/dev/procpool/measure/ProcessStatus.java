package dev.procpool.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code /proc/PID/status} says about a process: its resident set and its number of OS threads. Immutable.
 *
 * @param residentBytes resident set size, in bytes
 * @param threads live OS threads
 */
public record ProcessStatus(long residentBytes, int threads) {

    /** The status of process {@code pid}; empty where it cannot be read (not Linux, or the process has gone). */
    public static Optional<ProcessStatus> of(long pid) {
        try {
            return parse(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Both figures from the text of a status file; empty if either is missing. */
    public static Optional<ProcessStatus> parse(String status) {
        long resident = -1;
        int threads = -1;
        for (String line : status.lines().toList()) {
            if (line.startsWith("VmRSS:")) {
                resident = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            } else if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
            }
        }
        return resident < 0 || threads < 0 ? Optional.empty() : Optional.of(new ProcessStatus(resident, threads));
    }
}
