package dev.procpool.internal;

import dev.procpool.WorkerStartException;
import dev.procpool.protocol.Protocol;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;

/**
 * Finds {@code procpool-worker.jar}, the executable worker jar the command line runs its workers from: the
 * {@code procpool.worker.jar} system property, the {@code PROCPOOL_WORKER_JAR} environment variable, next to the
 * coordinator's jar, or where the build puts it ({@code worker/target/} beside {@code coordinator/target/}).
 * Stateless.
 */
public final class WorkerJarLocator {

    public static final String JAR_NAME = "procpool-worker.jar";
    public static final String PROPERTY = "procpool.worker.jar";
    public static final String ENVIRONMENT = "PROCPOOL_WORKER_JAR";

    private WorkerJarLocator() {
    }

    /** The worker jar, or a {@link WorkerStartException} listing every place it looked. */
    public static Path locate() {
        return locate(System.getProperty(PROPERTY), System.getenv(), coordinatorLocation());
    }

    static Path locate(String property, Map<String, String> environment, Path coordinatorLocation) {
        Optional<Path> configured = configured(property, environment);
        if (configured.isPresent()) {
            return configured.get();
        }
        List<Path> candidates = candidates(coordinatorLocation);
        return found(candidates).orElseThrow(() -> new WorkerStartException("cannot find the worker jar " + JAR_NAME
                + "; looked at " + candidates + ". Build it (./run.sh builds it, or mvn -B package) or give its path"
                + " with --worker-jar"));
    }

    /**
     * The worker jar the {@code procpool.worker.jar} system property or else the {@code PROCPOOL_WORKER_JAR}
     * environment variable names, if one does; a {@link WorkerStartException} if it is not a worker jar.
     */
    public static Optional<Path> configured() {
        return configured(System.getProperty(PROPERTY), System.getenv());
    }

    /** The worker jar next to the coordinator's jar or in the build tree, if there is one. */
    public static Optional<Path> nearby() {
        return found(candidates(coordinatorLocation()));
    }

    private static Optional<Path> configured(String property, Map<String, String> environment) {
        if (property != null && !property.isBlank()) {
            return Optional.of(existing(Path.of(property), "the system property " + PROPERTY));
        }
        String variable = environment.get(ENVIRONMENT);
        if (variable != null && !variable.isBlank()) {
            return Optional.of(existing(Path.of(variable), "the environment variable " + ENVIRONMENT));
        }
        return Optional.empty();
    }

    private static List<Path> candidates(Path coordinatorLocation) {
        List<Path> candidates = new ArrayList<>();
        if (coordinatorLocation != null) {
            // A jar's directory, or for a classes directory (tests, IDEs) the build directory holding it.
            Path directory = coordinatorLocation.getParent();
            if (directory != null) {
                candidates.add(directory.resolve(JAR_NAME));
                candidates.add(directory.resolve("../../worker/target").resolve(JAR_NAME).normalize());
            }
        }
        return candidates;
    }

    private static Optional<Path> found(List<Path> candidates) {
        return candidates.stream().filter(Files::isRegularFile).findFirst();
    }

    /**
     * {@code jar} if it is a procpool worker jar; otherwise a {@link WorkerStartException} saying that the worker jar
     * given by {@code source} (an option, a property, a variable, in words) does not exist, or is not one.
     */
    public static Path existing(Path jar, String source) {
        if (!Files.isRegularFile(jar)) {
            throw new WorkerStartException("the worker jar " + jar + " given by " + source + " does not exist");
        }
        String entry = Protocol.WORKER_MAIN_CLASS.replace('.', '/') + ".class";
        try (JarFile file = new JarFile(jar.toFile())) {
            if (file.getEntry(entry) == null) {
                throw notAWorkerJar(jar, source, "it holds no " + entry);
            }
        } catch (IOException e) {
            throw notAWorkerJar(jar, source, "it is not a jar (" + e.getMessage() + ")");
        }
        return jar;
    }

    private static WorkerStartException notAWorkerJar(Path jar, String source, String why) {
        return new WorkerStartException(jar + " given by " + source + " is not a procpool worker jar: " + why
                + "; give the " + JAR_NAME + " of this build (./run.sh or mvn -B package builds it)");
    }

    private static Path coordinatorLocation() {
        try {
            CodeSource source = WorkerJarLocator.class.getProtectionDomain().getCodeSource();
            return source == null ? null : Path.of(source.getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return null;
        }
    }
}
