package dev.procpool;

import dev.procpool.internal.WorkerJarLocator;
import java.nio.file.Path;

/**
 * Where a process pool finds {@code procpool-worker.jar} when none is given: the {@code procpool.worker.jar} system
 * property, the {@code PROCPOOL_WORKER_JAR} environment variable, next to the coordinator's jar, or where the build
 * puts it. Lets a program check the jar before it starts a pool. Stateless.
 */
public final class WorkerJar {

    private WorkerJar() {
    }

    /**
     * The worker jar a pool would use by default.
     *
     * @throws WorkerStartException listing every place it looked, and what to do
     */
    public static Path locate() {
        return WorkerJarLocator.locate();
    }

    /**
     * {@code jar}, if it is a procpool worker jar: a jar file that holds the worker's main class.
     *
     * @param source where the path came from, in words, for the message: {@code --worker-jar}
     * @throws WorkerStartException saying that the jar {@code source} names does not exist, is not a jar, or is not
     *     a worker jar
     */
    public static Path check(Path jar, String source) {
        return WorkerJarLocator.existing(jar, source);
    }
}
