package dev.procpool.spi;

import java.io.IOException;

/**
 * Starts each worker as a child process of this JVM through {@link ProcessBuilder}, isolated (see
 * {@link WorkerCommand#toIsolatedList()}) and under a {@link Babysitter} that ends it when this JVM dies, from the
 * {@link Spawner}'s thread. Stateless.
 */
final class LocalLauncher implements WorkerLauncher {

    static final LocalLauncher INSTANCE = new LocalLauncher();

    private LocalLauncher() {
    }

    @Override
    public LaunchedWorker launch(WorkerCommand command) throws IOException {
        return new LocalWorker(Spawner.start(new ProcessBuilder(Babysitter.commandLine(command))), "localhost");
    }

    @Override
    public String toString() {
        return "local";
    }
}
