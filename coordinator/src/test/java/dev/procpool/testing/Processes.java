package dev.procpool.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the tests ask of processes they watch end. Stateless. */
public final class Processes {

    private Processes() {
    }

    /** Whether a process runs: alive and not a zombie, which {@link ProcessHandle#isAlive()} counts as alive. */
    public static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false; // gone between the two looks
        }
    }
}
