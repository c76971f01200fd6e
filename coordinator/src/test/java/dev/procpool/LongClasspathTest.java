package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.internal.ClasspathArgFile;
import dev.procpool.job.TaskFunction;
import dev.procpool.testing.TestPools;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A class path too long for one argument (Linux takes 128 KiB at most; a program of a thousand jars has more) reaches
 * the workers through a file the {@code java} launcher reads, which the pool deletes when it closes.
 */
@Timeout(120)
class LongClasspathTest {

    /** n * n. */
    record Square() implements TaskFunction<Long, Long> {
        @Override
        public Long apply(Long n) {
            return n * n;
        }
    }

    @Test
    void classpathOver128KiB_workersStart_throughAFileThePoolDeletesAtClose(@TempDir Path dir) throws Exception {
        List<Path> classpath = new ArrayList<>(TestPools.classpath());
        // Entries a program might have: long paths, a space, a quote, a backslash (the JVM skips those missing).
        Path libraries = dir.resolve("lib with \"odd\" \\ names " + "x".repeat(80));
        for (int i = 0; i < 1_200; i++) {
            classpath.add(libraries.resolve("library-" + i + ".jar"));
        }
        int length = String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()).length();
        assertTrue(length > 128 * 1024, length + " characters");

        Path file;
        try (ProcessPool pool = TestPools.builder(2).workerClasspath(classpath).start()) {
            assertEquals(List.of(1L, 4L, 9L), pool.map(new Square(), List.of(1L, 2L, 3L)));

            List<String> arguments = ProcessHandle.of(pool.workerPids().get(0)).orElseThrow().info().arguments()
                    .map(List::of).orElseThrow();
            file = Path.of(arguments.stream().filter(argument -> argument.startsWith("@")).findFirst().orElseThrow()
                    .substring(1));
            assertFalse(arguments.contains("-cp"), "the class path is in the file, not an argument: " + arguments);
            assertTrue(Files.readString(file).contains(libraries.resolve("library-1199.jar").toString()
                    .replace("\\", "\\\\").replace("\"", "\\\"")));
        }
        assertFalse(Files.exists(file), "deleted when the pool closed: " + file);
    }

    @Test
    void classpathUnderTheLimitInCharactersButOverItInBytes_goesInAFile() throws IOException {
        // 400 paths of 112 CJK characters and a few ASCII ones: about 51,000 characters, 140,000 bytes in UTF-8.
        String directory = "/opt/" + "\u5e94\u7528\u7a0b\u5e8f\u5e93\u76ee\u5f55".repeat(16);
        List<Path> classpath = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            classpath.add(Path.of(directory, "lib-" + i + ".jar"));
        }
        String joined = String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList());
        assertTrue(joined.length() <= ClasspathArgFile.MAX_ARGUMENT_BYTES
                && joined.getBytes(StandardCharsets.UTF_8).length > 128 * 1024,
                joined.length() + " characters");

        Path file = ClasspathArgFile.writeIfLong(classpath);
        try {
            assertNotNull(file, "a class path over the kernel's limit in bytes goes in a file");
            assertTrue(Files.readString(file, StandardCharsets.UTF_8).contains(classpath.get(399).toString()));
        } finally {
            ClasspathArgFile.delete(file);
        }
    }

    @Test
    void shortClasspath_isAnArgumentAsBefore() {
        assertNull(ClasspathArgFile.writeIfLong(TestPools.classpath()));
        List<String> command = ProcessPool.builder().workerClasspath(TestPools.classpath()).build().workerCommand(1)
                .toList();
        assertTrue(command.contains("-cp"), command.toString());
    }
}
