package dev.procpool.internal;

import java.util.List;
import java.util.OptionalInt;

/**
 * How a worker process ended.
 *
 * @param exitStatus its exit status, if it could be read
 * @param reason what happened, in words: {@code exited with status 1}, {@code was killed by SIGKILL},
 *               {@code sent stray output: "..."}
 * @param wasReady whether it had completed its handshake
 * @param stderrTail the last lines it wrote to stderr
 */
record WorkerEnd(OptionalInt exitStatus, String reason, boolean wasReady, List<String> stderrTail) {

    public WorkerEnd {
        stderrTail = List.copyOf(stderrTail);
    }

    /** Words for an exit status: above 128 the JDK reports 128 plus the number of the killing signal. */
    static String describeStatus(int status) {
        if (status > 128 && status < 128 + 32) {
            return "was killed by signal " + (status - 128) + signalName(status - 128) + " (exit status " + status + ")";
        }
        return "exited with status " + status;
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 1 -> " (SIGHUP)";
            case 2 -> " (SIGINT)";
            case 3 -> " (SIGQUIT)";
            case 6 -> " (SIGABRT)";
            case 9 -> " (SIGKILL)";
            case 11 -> " (SIGSEGV)";
            case 15 -> " (SIGTERM)";
            default -> "";
        };
    }
}
