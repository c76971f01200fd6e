package dev.procpool.spi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The small process that a local worker JVM runs under: a shell that moves the protocol off descriptors 0 and 1 as
 * {@link WorkerCommand#toIsolatedList()} does, starts the JVM as its child in a process group of its own, waits for it,
 * and exits with its status. It is there for the coordinator's death: the kernel sends it SIGTERM when the thread that
 * started it ends ({@code setpriv --pdeathsig}; {@link Spawner} makes that thread outlive what it starts, so it ends
 * only with the coordinator), and it then wakes the worker's group (a stopped worker cannot read the end of its
 * input), asks it to end (the worker ends what its tasks started on its way out), and a second later kills whatever
 * of the group is left. When the worker ends in any other way, the rest of its group is killed too. Without
 * {@code setpriv} and {@code setsid} on the {@code PATH}, workers run without it, as
 * {@link WorkerCommand#toIsolatedList()}. Immutable: the programs are looked up once.
 */
final class Babysitter {

    /**
     * What {@code /bin/sh} runs: the worker's command follows the script. Its own copies of the protocol's pipes are
     * closed once the worker has its own, so that the worker's end still ends its output. It ignores the terminal's
     * signals (INT, QUIT, HUP): it shares the coordinator's process group, and a Ctrl-C meant for an application that
     * handles it must not end its workers. After the coordinator's death its stderr has no reader: it writes nowhere
     * then, or a SIGPIPE would end it before it ends the group.
     */
    static final String SCRIPT = WorkerCommand.MOVE_PROTOCOL + "\n" + """
            "$@" &
            w=$!
            exec 3<&- 4>&-
            trap '' INT QUIT HUP
            trap 'exec >/dev/null 2>&1; kill -CONT -$w; kill -TERM -$w; sleep 1; kill -KILL -$w; exit 143' TERM
            wait $w
            s=$?
            kill -KILL -$w 2>/dev/null
            exit $s
            """;

    private static final Optional<List<String>> PREFIX = prefix();

    private Babysitter() {
    }

    /** The command line that starts {@code command}'s worker under a babysitter, or isolated alone without one. */
    static List<String> commandLine(WorkerCommand command) {
        if (PREFIX.isEmpty()) {
            return command.toIsolatedList();
        }
        List<String> line = new ArrayList<>(PREFIX.get());
        line.addAll(command.toPrivateDescriptorsList());
        return line;
    }

    /**
     * {@code setpriv --pdeathsig TERM -- /bin/sh -c SCRIPT procpool-worker setsid}, before the worker's command; empty
     * if either program is missing.
     */
    private static Optional<List<String>> prefix() {
        Optional<Path> setsid = LocalPrograms.find("setsid");
        if (!TiedProcess.available() || setsid.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(TiedProcess.commandLine(TiedProcess.DeathSignal.TERM, List.of("/bin/sh", "-c", SCRIPT, "procpool-worker",
                setsid.get().toString())));
    }
}
