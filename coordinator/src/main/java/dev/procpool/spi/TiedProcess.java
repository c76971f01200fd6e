package dev.procpool.spi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts local programs that must not outlive this JVM, even one killed by SIGKILL: through
 * {@code setpriv --pdeathsig TERM}, from the {@link Spawner}'s thread, so that the kernel sends them SIGTERM when this
 * JVM dies. Used for the {@code ssh} clients of remote workers and of their hosts' connections (their end ends the
 * SSH sessions, which is what a host's {@link RemoteBabysitter} watches) and for {@code srun}. Without {@code setpriv}
 * on the {@code PATH} they start as they are, and end only once their sessions do. They start in a session of their
 * own ({@code setsid}, where there is one): a terminal's Ctrl-C goes to this JVM's process group, and an {@code ssh}
 * or {@code srun} that got it too would end (or print) before this JVM stops its workers in order. Stateless.
 */
final class TiedProcess {

    /** {@code setpriv --pdeathsig TERM --}, or empty if there is no {@code setpriv}. */
    private static final Optional<List<String>> PREFIX = LocalPrograms.find("setpriv")
            .map(setpriv -> List.of(setpriv.toString(), "--pdeathsig", "TERM", "--"));
    /**
     * {@code setsid}, or empty if there is none. Started by this JVM, a program leads no process group, so
     * {@code setsid} makes its session without forking: the process stays the one started, tied as it was.
     */
    private static final List<String> SESSION = LocalPrograms.find("setsid").map(setsid -> List.of(setsid.toString()))
            .orElse(List.of());

    private TiedProcess() {
    }

    /**
     * Starts {@code builder}'s command so that it gets SIGTERM when this JVM dies, in a session of its own;
     * {@code setpriv} and {@code setsid} replace themselves with the command, so the process returned is the
     * command's own.
     *
     * @throws IOException as {@link Spawner#start(ProcessBuilder)} does
     */
    static Process start(ProcessBuilder builder) throws IOException {
        List<String> command = new ArrayList<>(SESSION);
        command.addAll(builder.command());
        return Spawner.start(builder.command(commandLine(command)));
    }

    /** {@code command} behind {@code setpriv --pdeathsig TERM --}, or as it is without {@code setpriv}. */
    static List<String> commandLine(List<String> command) {
        List<String> line = new ArrayList<>(PREFIX.orElse(List.of()));
        line.addAll(command);
        return line;
    }

    /** Whether {@code setpriv} was found: without it, {@link #start} cannot tie anything to this JVM. */
    static boolean available() {
        return PREFIX.isPresent();
    }
}
