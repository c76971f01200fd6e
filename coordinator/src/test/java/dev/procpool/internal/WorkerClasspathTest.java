package dev.procpool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.ProcessPool;
import dev.procpool.ProcessPoolConfig;
import dev.procpool.WorkerStartException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which class path workers start from: the program's own by default, procpool's entries first. */
class WorkerClasspathTest {

    private static final String WORKER = "dev/procpool/worker/WorkerMain.class";
    private static final String PROTOCOL = "dev/procpool/protocol/Protocol.class";

    @TempDir
    Path root;

    /** A jar holding these class files (their bytes do not matter here). */
    private Path jar(String name, String... classFiles) throws IOException {
        Path jar = root.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String classFile : classFiles) {
                out.putNextEntry(new JarEntry(classFile));
                out.write(new byte[] {(byte) 0xca, (byte) 0xfe});
                out.closeEntry();
            }
        }
        return jar;
    }

    private static Optional<Path> noJar() {
        return Optional.empty();
    }

    @Test
    void program_workerAndProtocolJarsFirst_thenTheProgramsOtherEntries_thenExtra() throws IOException {
        Path classes = Files.createDirectories(root.resolve("classes"));
        Path coordinator = jar("procpool-coordinator.jar", "dev/procpool/ProcessPool.class");
        Path common = jar("procpool-common.jar", PROTOCOL);
        Path worker = jar("procpool-worker.jar", WORKER);
        Path extra = jar("extra.jar", "com/example/Extra.class");

        WorkerClasspath classpath = WorkerClasspath.ofProgram(List.of(classes, coordinator, common, worker),
                List.of(extra, classes), WorkerClasspathTest::noJar);

        assertEquals(List.of(worker, common, classes, coordinator, extra), classpath.entries());
        assertEquals(2, classpath.workerEntries());
    }

    @Test
    void program_workerInADirectory_asInAnIde_isFoundThere() throws IOException {
        Path workerClasses = root.resolve("worker/classes");
        Files.createDirectories(workerClasses.resolve(WORKER).getParent());
        Files.write(workerClasses.resolve(WORKER), new byte[] {1});
        Path common = jar("procpool-common.jar", PROTOCOL);

        WorkerClasspath classpath = WorkerClasspath.ofProgram(List.of(common, workerClasses), List.of(),
                WorkerClasspathTest::noJar);

        assertEquals(List.of(workerClasses, common), classpath.entries());
    }

    @Test
    void program_oneJarHoldingEverything_isTheOneWorkerEntry() throws IOException {
        Path application = jar("application.jar", WORKER, PROTOCOL, "com/example/Main.class");

        WorkerClasspath classpath = WorkerClasspath.ofProgram(List.of(application), List.of(),
                WorkerClasspathTest::noJar);

        assertEquals(List.of(application), classpath.entries());
        assertEquals(1, classpath.workerEntries());
    }

    @Test
    void programWithoutTheWorker_startsFromTheWorkerJarFound_thenTheProgram() throws IOException {
        Path fatCoordinator = jar("procpool-coordinator.jar", PROTOCOL, "dev/procpool/ProcessPool.class");
        Path jobs = jar("jobs.jar", "com/example/MyJob.class");
        Path workerJar = jar("procpool-worker.jar", WORKER, PROTOCOL);

        WorkerClasspath classpath = WorkerClasspath.ofProgram(List.of(fatCoordinator, jobs), List.of(),
                () -> Optional.of(workerJar));

        assertEquals(List.of(workerJar, fatCoordinator, jobs), classpath.entries());
        assertEquals(1, classpath.workerEntries());
    }

    @Test
    void noWorkerAnywhere_saysWhatToDependOnOrConfigure() throws IOException {
        List<Path> program = List.of(jar("app.jar", "com/example/Main.class"));

        WorkerStartException thrown = assertThrows(WorkerStartException.class,
                () -> WorkerClasspath.ofProgram(program, List.of(), WorkerClasspathTest::noJar));

        assertTrue(thrown.getMessage().contains("dev.procpool:procpool-coordinator"), thrown.getMessage());
        assertTrue(thrown.getMessage().contains("workerJar("), thrown.getMessage());
    }

    @Test
    void elsewhere_theWorkerJarFound_thenExtra_orWhatToGive() throws IOException {
        Path workerJar = jar("procpool-worker.jar", WORKER, PROTOCOL);
        Path extra = jar("extra.jar", "com/example/Extra.class");

        WorkerClasspath classpath = WorkerClasspath.elsewhere(List.of(extra), () -> Optional.of(workerJar));
        WorkerStartException thrown = assertThrows(WorkerStartException.class,
                () -> WorkerClasspath.elsewhere(List.of(extra), WorkerClasspathTest::noJar));

        assertEquals(List.of(workerJar, extra), classpath.entries());
        assertTrue(thrown.getMessage().contains("workerJar(path)"), thrown.getMessage());
    }

    @Test
    void givenWorkerJar_isFollowedByTheExtraEntriesAlone_hereAndElsewhere() throws IOException {
        Path workerJar = jar("procpool-worker.jar", WORKER, PROTOCOL);
        Path extra = jar("extra.jar", "com/example/Extra.class");
        ProcessPoolConfig config = ProcessPool.builder().workerJar(workerJar).classpath(List.of(extra)).build();

        for (boolean local : List.of(true, false)) {
            WorkerClasspath classpath = WorkerClasspath.of(config, local);

            assertEquals(List.of(workerJar, extra), classpath.entries());
            assertEquals(1, classpath.workerEntries());
        }
    }

    @Test
    void givenWholeClasspath_isTakenAsItIs() throws IOException {
        Path classes = Files.createDirectories(root.resolve("classes"));
        Path workerJar = jar("procpool-worker.jar", WORKER, PROTOCOL);
        ProcessPoolConfig config = ProcessPool.builder().workerClasspath(List.of(classes, workerJar)).build();

        assertEquals(List.of(classes, workerJar), WorkerClasspath.of(config, true).entries());
    }

    @Test
    void byDefault_localWorkers_startFromThisProgramsClassPath_workerFirst() throws Exception {
        ProcessPoolConfig config = ProcessPool.builder().build();
        Path worker = Path.of(Class.forName("dev.procpool.worker.WorkerMain").getProtectionDomain().getCodeSource()
                .getLocation().toURI());

        WorkerClasspath classpath = WorkerClasspath.of(config, true);

        assertEquals(worker, classpath.entries().get(0));
        assertTrue(classpath.entries().containsAll(ProgramClasspath.discover()), classpath.entries().toString());
    }
}
