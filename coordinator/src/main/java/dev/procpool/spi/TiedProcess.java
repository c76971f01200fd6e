package dev.procpool.spi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts local programs that must not outlive this JVM, even one killed by SIGKILL: through
 * {@code setpriv --pdeathsig TERM}, from the {@link Spawner}'s thread, so that the kernel sends them SIGTERM when this
 * JVM dies. Used for the {@code ssh} clients of remote workers and of their hosts' connections: their end ends the
 * SSH sessions, which is what a host's {@link RemoteBabysitter} watches. Without {@code setpriv} on the {@code PATH}
 * they start as they are, and end only once their sessions do. Stateless.
 */
final class TiedProcess {

    /** {@code setpriv --pdeathsig TERM --}, or empty if there is no {@code setpriv}. */
    private static final Optional<List<String>> PREFIX = LocalPrograms.find("setpriv")
            .map(setpriv -> List.of(setpriv.toString(), "--pdeathsig", "TERM", "--"));

    private TiedProcess() {
    }

    /**
     * Starts {@code builder}'s command so that it gets SIGTERM when this JVM dies; {@code setpriv} replaces itself with
     * the command, so the process returned is the command's own.
     *
     * @throws IOException as {@link Spawner#start(ProcessBuilder)} does
     */
    static Process start(ProcessBuilder builder) throws IOException {
        return Spawner.start(builder.command(commandLine(builder.command())));
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
