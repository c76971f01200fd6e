package dev.procpool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.WorkerStartException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerJarLocatorTest {

    @TempDir
    Path root;

    /** A jar holding the worker's main class (its bytes do not matter to the locator), or only other classes. */
    private static Path jar(Path file, boolean isWorker) throws IOException {
        Files.createDirectories(file.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file))) {
            out.putNextEntry(new JarEntry(isWorker ? "dev/procpool/worker/WorkerMain.class" : "com/example/Other.class"));
            out.write(new byte[] {(byte) 0xca, (byte) 0xfe});
            out.closeEntry();
        }
        return file;
    }

    @Test
    void locate_nextToTheCoordinatorJar() throws IOException {
        Path coordinator = Files.createFile(root.resolve("procpool-coordinator.jar"));
        Path worker = Files.createFile(root.resolve("procpool-worker.jar"));

        assertEquals(worker, WorkerJarLocator.locate(null, Map.of(), coordinator));
    }

    @Test
    void locate_inTheBuildTree() throws IOException {
        Path coordinator = Files.createDirectories(root.resolve("coordinator/target")).resolve("procpool-coordinator.jar");
        Path worker = Files.createFile(Files.createDirectories(root.resolve("worker/target")).resolve("procpool-worker.jar"));

        assertEquals(worker, WorkerJarLocator.locate(null, Map.of(), coordinator));
    }

    @Test
    void locate_propertyWinsOverEnvironment() throws IOException {
        Path byProperty = jar(root.resolve("a.jar"), true);
        Path byEnvironment = jar(root.resolve("b.jar"), true);

        assertEquals(byProperty, WorkerJarLocator.locate(byProperty.toString(),
                Map.of(WorkerJarLocator.ENVIRONMENT, byEnvironment.toString()), null));
        assertEquals(byEnvironment, WorkerJarLocator.locate(null,
                Map.of(WorkerJarLocator.ENVIRONMENT, byEnvironment.toString()), null));
    }

    @Test
    void locate_nowhere_saysWhereItLookedAndWhatToDo() {
        WorkerStartException thrown = assertThrows(WorkerStartException.class,
                () -> WorkerJarLocator.locate(null, Map.of(), root.resolve("procpool-coordinator.jar")));

        assertTrue(thrown.getMessage().contains(root.resolve("procpool-worker.jar").toString()), thrown.getMessage());
        assertTrue(thrown.getMessage().contains("--worker-jar"), thrown.getMessage());
    }

    @Test
    void locate_propertyNamesAMissingFile_saysSo() {
        WorkerStartException thrown = assertThrows(WorkerStartException.class,
                () -> WorkerJarLocator.locate("/no/such.jar", Map.of(), null));

        assertTrue(thrown.getMessage().contains("/no/such.jar"), thrown.getMessage());
    }

    @Test
    void existing_aWorkerJar_isReturned() throws IOException {
        Path jar = jar(root.resolve("w.jar"), true);

        assertEquals(jar, WorkerJarLocator.existing(jar, "--worker-jar"));
    }

    @Test
    void existing_aFileThatIsNotAWorkerJar_saysWhyAndWhatToGive() throws IOException {
        Path notAJar = Files.writeString(root.resolve("notes.txt"), "not a jar");
        Path otherJar = jar(root.resolve("other.jar"), false);

        assertTrue(assertThrows(WorkerStartException.class, () -> WorkerJarLocator.existing(notAJar, "--worker-jar"))
                .getMessage().startsWith(notAJar + " given by --worker-jar is not a procpool worker jar: it is not a jar"));
        String message = assertThrows(WorkerStartException.class,
                () -> WorkerJarLocator.existing(otherJar, "--worker-jar")).getMessage();
        assertTrue(message.contains("it holds no dev/procpool/worker/WorkerMain.class"), message);
        assertTrue(message.contains("procpool-worker.jar of this build"), message);
    }

    @Test
    void existing_aMissingFileOrADirectory_namesThePathAndWhereItCameFrom() {
        for (Path notAFile : new Path[] {root.resolve("missing.jar"), root}) {
            WorkerStartException thrown = assertThrows(WorkerStartException.class,
                    () -> WorkerJarLocator.existing(notAFile, "--worker-jar"));

            assertEquals("the worker jar " + notAFile + " given by --worker-jar does not exist", thrown.getMessage());
        }
    }
}
