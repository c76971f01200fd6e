package dev.procpool;

import dev.procpool.internal.WorkerJarLocator;
import java.nio.file.Path;

/**
 * Where {@code procpool-worker.jar}, the executable worker jar, is found when none is given: the
 * {@code procpool.worker.jar} system property, the {@code PROCPOOL_WORKER_JAR} environment variable, next to the
 * coordinator's jar, or where the build puts it. The command line starts its workers from it, and so does a pool whose
 * workers run on other machines or whose program's class path holds no worker (see
 * {@link ProcessPoolBuilder#workerJar}). Lets a program check the jar before it starts a pool. Stateless.
 */
public final class WorkerJar {

    private WorkerJar() {
    }

    /**
     * The worker jar the command line uses by default.
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
