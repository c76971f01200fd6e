package dev.procpool.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** What the tests ask of processes they watch end, and the signals they send them. Stateless. */
public final class Processes {

    private Processes() {
    }

    /** Whether a process runs: alive and not a zombie, which {@link ProcessHandle#isAlive()} counts as alive. */
    public static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        char state = state(process.pid());
        return state != 'Z' && state != '?'; // '?': gone between the two looks
    }

    /** The state letter of a process in /proc ('T' stopped, 'Z' zombie), or '?' if it is gone. */
    public static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException e) {
            return '?';
        }
    }

    /** Sends {@code signal} ({@code KILL}, {@code STOP}, ...) to the process {@code pid} with {@code kill}. */
    public static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS), "kill -" + signal + " " + pid + " ends");
        assertEquals(0, kill.exitValue(), "kill -" + signal + " " + pid);
    }
}
