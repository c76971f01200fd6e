package dev.procpool.spi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts local programs that must not outlive this JVM, even one killed by SIGKILL: through
 * {@code setpriv --pdeathsig}, from the {@link Spawner}'s thread, so that the kernel sends them a signal when this
 * JVM dies (see {@link DeathSignal}). Used for the {@code ssh} clients of remote workers and of their hosts' connections (their end ends the
 * SSH sessions, which is what a host's {@link RemoteBabysitter} watches) and for {@code srun}. Without {@code setpriv}
 * on the {@code PATH} they start as they are, and end only once their sessions do. They start in a session of their
 * own ({@code setsid}, where there is one): a terminal's Ctrl-C goes to this JVM's process group, and an {@code ssh}
 * or {@code srun} that got it too would end (or print) before this JVM stops its workers in order. Stateless.
 */
final class TiedProcess {

    /** What the kernel sends a tied program when this JVM dies. */
    enum DeathSignal {
        /**
         * For a program that must act on its way out ({@code srun}, which has Slurm end its step; the babysitting
         * shell of a local worker). A stopped program does not act on it until it is continued.
         */
        TERM,
        /**
         * For a program whose end alone does the work, and that must end even when stopped ({@code ssh}: its
         * connection closes with it, and with it the sessions on the host).
         */
        KILL
    }

    /** {@code setpriv}, or empty if there is none. */
    private static final Optional<String> SETPRIV = LocalPrograms.find("setpriv").map(Object::toString);
    /**
     * {@code setsid}, or empty if there is none. Started by this JVM, a program leads no process group, so
     * {@code setsid} makes its session without forking: the process stays the one started, tied as it was.
     */
    private static final List<String> SESSION = LocalPrograms.find("setsid").map(setsid -> List.of(setsid.toString()))
            .orElse(List.of());

    private TiedProcess() {
    }

    /**
     * Starts {@code builder}'s command so that it gets {@code signal} when this JVM dies, in a session of its own;
     * {@code setpriv} and {@code setsid} replace themselves with the command, so the process returned is the
     * command's own.
     *
     * @throws IOException as {@link Spawner#start(ProcessBuilder)} does
     */
    static Process start(ProcessBuilder builder, DeathSignal signal) throws IOException {
        List<String> command = new ArrayList<>(SESSION);
        command.addAll(builder.command());
        return Spawner.start(builder.command(commandLine(signal, command)));
    }

    /** {@code command} behind {@code setpriv --pdeathsig SIGNAL --}, or as it is without {@code setpriv}. */
    static List<String> commandLine(DeathSignal signal, List<String> command) {
        List<String> line = new ArrayList<>();
        SETPRIV.ifPresent(setpriv -> line.addAll(List.of(setpriv, "--pdeathsig", signal.name(), "--")));
        line.addAll(command);
        return line;
    }

    /** Whether {@code setpriv} was found: without it, {@link #start} cannot tie anything to this JVM. */
    static boolean available() {
        return SETPRIV.isPresent();
    }
}
