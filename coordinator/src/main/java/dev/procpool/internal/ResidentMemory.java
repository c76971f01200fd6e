package dev.procpool.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Reads a process's resident set size from {@code /proc/PID/status}; empty where that is not available. */
public final class ResidentMemory {

    private ResidentMemory() {
    }

    /** The resident set of process {@code pid}, in bytes. */
    public static OptionalLong bytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux, or the process has gone.
        }
        return OptionalLong.empty();
    }
}
