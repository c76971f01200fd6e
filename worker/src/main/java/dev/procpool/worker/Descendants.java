package dev.procpool.worker;

/**
 * Ends the processes a worker's tasks started, so none outlives the worker: called on every way out that the worker
 * itself takes (told to shut down, its input ended because its coordinator is gone, a task called
 * {@code System.exit}). A worker killed outright cannot; its coordinator ends what it saw the worker start. Stateless.
 */
final class Descendants {

    private Descendants() {
    }

    /** Kills every living descendant of this process, without waiting. */
    static void end() {
        try {
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        } catch (RuntimeException e) {
            // Best effort on the way out: a process that cannot be listed or signalled is no reason not to exit.
        }
    }

    /** A shutdown hook that ends them: for a task that calls System.exit, which runs hooks. */
    static Thread hook() {
        return new Thread(new Ending(), "procpool-worker-descendants");
    }

    /** The hook's body. A class rather than a lambda: the worker's start path spins no lambda (see WorkerMain). */
    private static final class Ending implements Runnable {
        @Override
        public void run() {
            end();
        }
    }
}
