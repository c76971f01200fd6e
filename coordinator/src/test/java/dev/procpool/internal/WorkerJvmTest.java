package dev.procpool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command lines of a worker and of the training run that makes its AOT cache. */
class WorkerJvmTest {

    private static WorkerJvm command(List<String> jvmArgs) {
        return new WorkerJvm(Path.of("/jdk/bin/java"), jvmArgs, List.of(Path.of("w.jar"), Path.of("mine.jar")),
                4096, null);
    }

    @Test
    void toList_ownFlagsThenTheUsersThenTheWorker() {
        List<String> line = command(List.of("-Xmx1g")).withAotCache(Path.of("/c/w.aot")).toList(3);

        assertEquals("/jdk/bin/java", line.get(0));
        assertTrue(line.containsAll(WorkerJvm.BASE_FLAGS));
        assertTrue(line.indexOf("-XX:AOTCache=/c/w.aot") < line.indexOf("-Xmx1g"), "the user's arguments come last");
        assertTrue(line.contains("-Dprocpool.worker.id=3"));
        assertEquals(List.of("-cp", "w.jar:mine.jar", "dev.procpool.worker.WorkerMain", "--serve",
                "--max-frame-bytes=4096"), line.subList(line.size() - 5, line.size()));
    }

    @Test
    void toList_withoutCache_hasNoCacheFlag() {
        assertTrue(command(List.of()).toList(1).stream().noneMatch(arg -> arg.startsWith("-XX:AOTCache")));
    }

    @Test
    void collector_serialUnlessTheUserChoosesOne() {
        assertTrue(command(List.of()).toList(1).contains(WorkerJvm.DEFAULT_COLLECTOR));
        assertTrue(command(List.of("-XX:-UseSerialGC")).toList(1).contains(WorkerJvm.DEFAULT_COLLECTOR),
                "turning it off comes later and wins");
        for (String collector : List.of("-XX:+UseG1GC", "-XX:+UseParallelGC", "-XX:+UseZGC")) {
            List<String> line = command(List.of(collector)).toList(1);

            assertFalse(line.contains(WorkerJvm.DEFAULT_COLLECTOR), "the JVM refuses two collectors: " + line);
            assertTrue(line.contains(collector));
            assertEquals(line, command(List.of(collector)).toList(1));
        }
    }

    @Test
    void trainingCommand_sameJvmAndFlags_theWorkerJarAlone_writingTheCache() {
        WorkerJvm command = command(List.of("-XX:+UseG1GC"));

        List<String> training = command.trainingCommand(Path.of("/c/out.aot"));

        assertTrue(training.containsAll(WorkerJvm.BASE_FLAGS));
        assertTrue(training.contains("-XX:+UseG1GC"));
        assertFalse(training.contains(WorkerJvm.DEFAULT_COLLECTOR));
        assertTrue(training.contains("-XX:AOTCacheOutput=/c/out.aot"));
        assertEquals(List.of("-cp", "w.jar", "dev.procpool.worker.WorkerMain", "--train"),
                training.subList(training.size() - 4, training.size()));
    }

    @Test
    void trainingCommand_procpoolsEntriesAlone_workersStartWithThemFirst() {
        WorkerJvm command = new WorkerJvm(Path.of("/jdk/bin/java"), List.of(), List.of(Path.of("worker.jar"),
                Path.of("common.jar"), Path.of("classes"), Path.of("mine.jar")), 2, 4096, null);

        List<String> training = command.trainingCommand(Path.of("/c/out.aot"));
        List<String> worker = command.toList(1);

        assertEquals(List.of("-cp", "worker.jar:common.jar", "dev.procpool.worker.WorkerMain", "--train"),
                training.subList(training.size() - 4, training.size()));
        assertEquals("worker.jar:common.jar:classes:mine.jar", worker.get(worker.indexOf("-cp") + 1));
    }
}
