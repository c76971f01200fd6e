package dev.procpool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.WorkerStartException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerJarLocatorTest {

    @TempDir
    Path root;

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
        Path byProperty = Files.createFile(root.resolve("a.jar"));
        Path byEnvironment = Files.createFile(root.resolve("b.jar"));

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
    void existing_aFile_isReturned() throws IOException {
        Path jar = Files.createFile(root.resolve("w.jar"));

        assertEquals(jar, WorkerJarLocator.existing(jar, "--worker-jar"));
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
