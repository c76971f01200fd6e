package dev.procpool.spi;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What ends a host's workers when their SSH connection ends, even a worker that is stopped (SIGSTOP) or frozen and so
 * cannot read the end of its stdin: the remote counterpart of the local {@link Babysitter}, in POSIX {@code sh}.
 *
 * <p>Each connection's master session runs {@link #REAPER}: it makes a directory of its own on the host, reads its
 * stdin (a pipe from the coordinator, no worker's protocol) until it ends, and then wakes, asks to end, and a second
 * later kills every process group named in that directory. Its stdin ends when the coordinator closes it or dies
 * (the pipe closes, and the local {@code ssh} clients die with it, see {@link TiedProcess}), or when the connection
 * drops: sshd (and the tests' server) closes a session's stdin when its channel or connection goes, with no signal.
 * Each worker runs under {@link #WORKER}: a shell that starts the worker's JVM in a process group of its own
 * ({@code setsid}), names the group in the directory, waits for the worker, and takes the name back when it ends. A
 * host without {@code setsid} runs its workers as before, without it. Nothing of either sits on the protocol's path:
 * the worker alone reads its stdin and writes its stdout. Stateless.
 */
final class RemoteBabysitter {

    /** Where the connections' directories go on a host, relative to the home directory a command starts in. */
    static final String DIRECTORIES = ".cache/procpool/workers";

    /**
     * What {@link #REAPER} says, on a line of its own, once its directory is there, before any worker may name itself
     * in it: a word no login shell's greeting ends with (one may come first, even without a newline).
     */
    static final String READY = "procpool-reaper-ready";

    /**
     * The file in a connection's directory that says whose it is: the host's name, its boot id ({@code -} where there
     * is none) and the reaper's pid. A dot file: the reaper's {@code *} does not take it for a group.
     */
    static final String OWNER = ".reaper";

    /**
     * The master session's command, the directory as {@code $1}: it says {@link #READY} once it has made the
     * directory (the connection counts as open only then), and fails if it cannot. On its way it removes the
     * directories of this host's reapers that are gone without removing theirs (killed outright, or before a reboot):
     * one whose {@link #OWNER} names this host and another boot, or a pid that no longer runs. It ignores SIGPIPE: a
     * session whose coordinator died as it started has no reader for its word, and the signal would end it between
     * making its directory and removing it. Once its stdin has ended it writes nowhere. Its {@code cat} holds neither
     * of the session's outputs: were the reaper killed, the session's output must end (see
     * {@link SshConnection}), which a server delays while anything holds either. It wakes each worker's shell too
     * (its pid is in its group's file), which could otherwise stay stopped with its relay.
     */
    static final String REAPER = """
            trap '' PIPE
            d=$1
            mkdir -p -m 700 "$d" || exit 1
            h=$(uname -n)
            b=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null)
            echo "$h ${b:--} $$" >"$d/.reaper"
            for o in "${d%/*}"/*/.reaper; do
              [ -f "$o" ] && [ "$o" != "$d/.reaper" ] || continue
              read -r oh ob op <"$o" || continue
              [ "$oh" = "$h" ] || continue
              if [ "$ob" != "${b:--}" ] || ! kill -0 "$op" 2>/dev/null; then rm -rf "${o%/.reaper}"; fi
            done
            printf '\n%s\n' procpool-reaper-ready
            cat >/dev/null 2>&1
            exec >/dev/null 2>&1
            set -- "$d"/*
            if [ -e "$1" ]; then
              for f; do kill -CONT -"${f##*/}"; kill -CONT "$(cat "$f")"; kill -TERM -"${f##*/}"; done
              sleep 1
              for f; do kill -KILL -"${f##*/}"; done
            fi
            rm -rf "$d"
            """;

    /**
     * What runs a worker, the directory as {@code $1}, the relay's grace in whole seconds as {@code $2} (see below)
     * and the worker's command after them: it moves the protocol off
     * descriptors 0 and 1 as {@link WorkerCommand#toIsolatedList()} does, and closes its own copies once the worker has
     * its own. It names the worker's group (a file named by the group, holding the shell's own pid) only while the
     * directory is there: once it is gone, the reaper has ended
     * (the coordinator with it, and so the worker's stdin), and making it anew would leave it behind. Once the worker
     * has ended, whatever is left of its group is killed, as a local worker's babysitter does. The worker's output
     * (its stdout and stderr both go to the session's stderr) passes through a {@code cat} of the shell's, which
     * ends once the worker's last lines are out: a server ends a session's output only once nothing holds either of
     * its streams, and until then neither {@code ssh} here nor the pool would see the worker's end. Should a process
     * the worker started in a session of its own hold the relay, the relay is ended {@code $2} seconds after the
     * worker (half the pool's heartbeat timeout: what is still on its way by then is lost, but the worker's end is
     * seen before its missed heartbeats would say it "stopped responding"). The shell's
     * word on a worker killed by a signal ("Killed") goes nowhere: it would land among the worker's own lines. A
     * worker killed by a signal kills the shell with the same signal, so that {@code ssh} exits 255 as it does when
     * the worker is the session's own process; a status above 128 that no terminating signal gives (a worker's own
     * exit with 147, say, which would stop the shell) is passed on as it is.
     */
    static final String WORKER = WorkerCommand.MOVE_PROTOCOL + "\n" + """
            d=$1 g=$2
            shift 2
            command -v setsid >/dev/null 2>&1 || exec "$@"
            r=
            if t=$(mktemp -d 2>/dev/null) && { mkfifo "$t/e" 2>/dev/null || { rm -rf "$t"; false; }; }; then
              cat <"$t/e" >&2 3<&- 4>&- &
              r=$!
              exec 1>"$t/e" 2>&1
              rm -rf "$t"
            fi
            setsid "$@" &
            w=$!
            exec 3<&- 4>&-
            [ -d "$d" ] && echo $$ >"$d/$w"
            wait $w 2>/dev/null
            s=$?
            rm -f "$d/$w"
            kill -KILL -$w 2>/dev/null
            if [ -n "$r" ]; then
              exec >/dev/null 2>&1
              (sleep "$g"; kill $r) &
              k=$!
              wait $r
              kill $k
            fi
            case $s in 129|13[0-9]|14[0-6]|15[1-9]) kill -$((s - 128)) $$ ;; esac
            exit $s
            """;

    /**
     * What kills a worker's process group on a host, the directory as {@code $1} and the worker's pid as {@code $2}:
     * only a group still named there (its worker's shell takes the name back once the worker has ended, so a pid
     * freed since, perhaps another process's now, is left alone). On a host without {@code setsid}, nothing is named:
     * the worker leads a group if its session does (OpenSSH's server starts each session in a session of its own),
     * else its direct children and itself are killed.
     */
    static final String KILL = """
            d=$1 p=$2
            if [ -e "$d/$p" ]; then
              kill -KILL -"$p"
            elif ! command -v setsid >/dev/null 2>&1; then
              kill -KILL -"$p" 2>/dev/null || { pkill -KILL -P "$p"; kill -KILL "$p"; }
            fi 2>/dev/null
            exit 0
            """;

    private static final SecureRandom RANDOM = new SecureRandom();

    private RemoteBabysitter() {
    }

    /** A new directory for one connection's workers: a random name under {@link #DIRECTORIES}. */
    static String newDirectory() {
        byte[] name = new byte[12];
        RANDOM.nextBytes(name);
        return DIRECTORIES + "/" + HexFormat.of().formatHex(name);
    }

    /** The command string a master session runs: {@link #REAPER} on {@code directory}, quoted for the login shell. */
    static String reaperCommand(String directory) {
        return "exec " + RemoteShell.command(List.of("/bin/sh", "-c", REAPER, "procpool-reaper", directory));
    }

    /** The command string that runs {@link #KILL} on a host for worker {@code pid}, quoted for the login shell. */
    static String killCommand(String directory, long pid) {
        return "exec " + RemoteShell.command(List.of("/bin/sh", "-c", KILL, "procpool-kill", directory,
                Long.toString(pid)));
    }

    /**
     * The command string that runs {@code command}'s worker under {@link #WORKER} on a host, with {@code java} and
     * {@code classpath} as they are there, quoted for the login shell.
     */
    static String workerCommand(String directory, Duration relayGrace, WorkerCommand command, String java,
            List<String> classpath) {
        List<String> line = new ArrayList<>(List.of("/bin/sh", "-c", WORKER, "procpool-worker", directory,
                Long.toString(Math.max(1, relayGrace.toSeconds()))));
        line.addAll(command.toPrivateDescriptorsList(java, classpath));
        return "exec " + RemoteShell.command(line);
    }
}
