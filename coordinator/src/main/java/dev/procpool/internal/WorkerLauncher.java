package dev.procpool.internal;

import java.io.IOException;
import java.util.List;

/** Starts a worker process from its command line; a seam for tests that need to fake or break launches. */
@FunctionalInterface
public interface WorkerLauncher {

    Process launch(List<String> command) throws IOException;

    /** {@link ProcessBuilder} with stdin, stdout and stderr all piped to this JVM. */
    static WorkerLauncher processBuilder() {
        return command -> new ProcessBuilder(command).start();
    }
}
