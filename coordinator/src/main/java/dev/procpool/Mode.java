package dev.procpool;

import java.util.Locale;

/** Where a runner computes tasks. */
public enum Mode {
    /** One after another on the calling thread: the baseline. */
    SEQUENTIAL,
    /** On a fixed pool of threads inside this JVM. */
    THREADS,
    /** On a virtual thread per task inside this JVM, a bounded number at once. */
    VIRTUAL,
    /** In worker JVMs, one per worker, over their stdin and stdout. */
    PROCESSES;

    /** The lower-case name used on the command line and in reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
