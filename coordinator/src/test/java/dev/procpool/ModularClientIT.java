package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Command;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A modular client ({@code coordinator/src/client-module}: a {@code module-info.java} that requires procpool's
 * modules) compiled and run with procpool's three jars on the module path, where they are automatic modules under the
 * names their manifests give: its workers start, with its own function, and it prints the right result.
 */
class ModularClientIT {

    private static final Path ROOT = Command.root();
    private static final Path SOURCES = ROOT.resolve("coordinator/src/client-module");
    private static final Path CLASSES = ROOT.resolve("coordinator/target/client-module/client");
    private static final String VERSION = System.getProperty("procpool.version");

    private static List<Path> jars() {
        return List.of(ROOT.resolve("common/target/procpool-common-" + VERSION + ".jar"),
                ROOT.resolve("worker/target/procpool-worker-" + VERSION + ".jar"),
                ROOT.resolve("coordinator/target/procpool-coordinator-" + VERSION + ".jar"));
    }

    private static String modulePath(List<Path> entries) {
        return String.join(File.pathSeparator, entries.stream().map(Path::toString).toList());
    }

    @Test
    void eachJar_namesItsModule() throws IOException {
        List<String> names = new ArrayList<>();
        for (Path jar : jars()) {
            try (JarFile file = new JarFile(jar.toFile())) {
                names.add(file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"));
            }
        }

        assertEquals(List.of("dev.procpool.common", "dev.procpool.worker", "dev.procpool"), names);
    }

    @Test
    @Timeout(180)
    void modularClient_onTheModulePath_startsWorkersThatRunItsFunction() throws IOException {
        List<String> sources;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            sources = files.filter(file -> file.toString().endsWith(".java")).map(Path::toString).toList();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> arguments = new ArrayList<>(List.of("-d", CLASSES.toString(), "--module-path",
                modulePath(jars())));
        arguments.addAll(sources);
        assertEquals(0, javac.run(null, null, null, arguments.toArray(String[]::new)), "the client compiles");

        List<Path> modulePath = new ArrayList<>(jars());
        modulePath.add(0, CLASSES);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Command.Outcome run = Command.run(Duration.ofMinutes(2), java,
                List.of("--module-path", modulePath(modulePath), "-m", "client/client.Main"));

        assertEquals(0, run.exitCode(), run.stdout() + run.stderr());
        assertTrue(run.stdout().contains("cubes: [1, 8, 27]"), run.stdout());
        assertEquals("", run.stderr(), "no warning, nothing from the workers");
    }
}
