package dev.procpool.spi;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A worker process a {@link WorkerLauncher} started: its three streams and a handle on its life. The pool owns it
 * from then on: one thread writes to {@link #stdin()}, one reads {@link #stdout()}, one drains {@link #stderr()}.
 * Implementations must be thread-safe.
 */
public interface LaunchedWorker {

    /** The worker's stdin: the protocol from the pool to the worker. */
    OutputStream stdin();

    /** The worker's stdout: the protocol from the worker to the pool. */
    InputStream stdout();

    /** The worker's stderr: its log lines, and whatever its tasks print. */
    InputStream stderr();

    /**
     * The id of the process this launcher started, or -1 where it does not know it; the worker reports its own pid
     * in its handshake, and messages use that one once it has arrived.
     */
    long pid();

    /**
     * Where the worker runs, for messages: {@code localhost}, or a host or node name; empty if the launcher does not
     * know (a cluster's scheduler chose), and the worker's handshake says.
     */
    String host();

    /**
     * The worker's handshake said which process it is and where it runs: a launcher that reaches the worker only
     * through another program ({@code ssh}) can use it to reach the process itself (to kill a worker that stopped
     * answering). By default nothing is done with it.
     */
    default void identified(long workerPid, String workerHost) {
    }

    /**
     * Completes with the exit status of the process this launcher started, when it ends. For a worker started
     * through another program ({@code ssh}, {@code srun}), that program's status.
     */
    CompletableFuture<Integer> onExit();

    /**
     * Words for exit status {@code status} of the process this launcher started, where the pool's own would mislead
     * (they read a status above 128 as the worker killed by a signal): a launcher whose process is another program in
     * front of the worker says what that status means for it. The words complete a notice such as "worker 3 (pid 4711
     * on node1) ... while computing task ...": a phrase in the past tense that names the status, such as
     * {@code "lost its ssh client, which was killed on this machine by signal 9 (exit status 137)"}. Asked once, on
     * the thread that reads the worker's output, when the worker ends without the pool's having killed it (a worker
     * the pool killed is reported with the pool's reason): it must return at once, and never null. By default empty:
     * the pool's words.
     */
    default Optional<String> describeExit(int status) {
        return Optional.empty();
    }

    /**
     * Ends the worker at once, and with it whatever it started that the launcher can reach. Idempotent; returns
     * without waiting for it to end (see {@link #onExit()}).
     */
    void kill();

    /**
     * Called by the pool about once a second while the worker runs: a launcher that can see the processes its worker
     * started remembers them, so that it can end them when the worker ends, however it ends (a worker killed outright
     * cannot end them itself). By default nothing is remembered.
     */
    default void recordDescendants() {
    }

    /** Whether the process is still running. */
    default boolean isAlive() {
        return !onExit().isDone();
    }
}
