package dev.procpool.spi;

import java.io.IOException;

/**
 * Starts each worker as a child process of this JVM through {@link ProcessBuilder}, isolated (see
 * {@link WorkerCommand#toIsolatedList()}). Stateless.
 */
final class LocalLauncher implements WorkerLauncher {

    static final LocalLauncher INSTANCE = new LocalLauncher();

    private LocalLauncher() {
    }

    @Override
    public LaunchedWorker launch(WorkerCommand command) throws IOException {
        return new LocalWorker(new ProcessBuilder(command.toIsolatedList()).start(), "localhost");
    }

    @Override
    public String toString() {
        return "local";
    }
}
