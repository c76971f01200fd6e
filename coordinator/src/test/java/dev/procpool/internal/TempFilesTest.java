package dev.procpool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator's temporary files: in procpool's own directory, named by the JVM that made them; those of a JVM that
 * is gone are deleted by the next that makes one, and nothing else is.
 */
@Timeout(30)
class TempFilesTest {

    private static final long PID = ProcessHandle.current().pid();
    private static final String DIRECTORY = "procpool-" + System.getProperty("user.name");

    /** The pid of a process that has ended, as a coordinator killed outright has. */
    private static long endedPid() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        assertTrue(ended.waitFor(10, TimeUnit.SECONDS));
        return ended.pid();
    }

    @Test
    void create_inProcpoolsDirectory_onlyItsUserMayEnter_namedByThisJvm(@TempDir Path base) throws Exception {
        Path file = TempFiles.create(base, "classpath", ".args");

        assertEquals(base.resolve(DIRECTORY), file.getParent());
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(file.getParent()));
        assertTrue(file.getFileName().toString().startsWith("procpool-classpath-" + PID + "-"), file.toString());
        assertTrue(file.getFileName().toString().endsWith(".args"), file.toString());
    }

    @Test
    void create_firstFileUnderABase_deletesTheFilesOfJvmsThatAreGone_andNothingElse(@TempDir Path base)
            throws Exception {
        long gone = endedPid();
        Path directory = Files.createDirectory(base.resolve(DIRECTORY),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path orphanInDirectory = Files.createFile(directory.resolve("procpool-shared-" + gone + "-1.bin"));
        Path orphanInBase = Files.createFile(base.resolve("procpool-classpath-" + gone + "-2.args"));
        Path living = Files.createFile(directory.resolve("procpool-shared-" + PID + "-3.bin"));
        Path unrelated = Files.createFile(base.resolve("procpool-notes.txt"));
        Path socketDirectory = Files.createDirectory(base.resolve("procpool-ssh-" + gone + "-4"));

        TempFiles.create(base, "shared", ".bin");

        assertFalse(Files.exists(orphanInDirectory), "its JVM is gone");
        assertFalse(Files.exists(orphanInBase), "its JVM is gone, and could not use procpool's directory");
        assertTrue(Files.exists(living), "its JVM runs");
        assertTrue(Files.exists(unrelated), "no pid in its name");
        assertTrue(Files.exists(socketDirectory), "a directory, not a file of ours");
    }

    @Test
    void directoryUnder_aDirectoryOthersMayWriteTo_isNotUsed_theBaseIs(@TempDir Path base) throws Exception {
        Path open = Files.createDirectory(base.resolve(DIRECTORY));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertEquals(base, TempFiles.directoryUnder(base), "others may write there");
        assertEquals(base, TempFiles.create(base, "shared", ".bin").getParent());
    }

    @Test
    void directoryUnder_aLink_isNotFollowed_theBaseIs(@TempDir Path base, @TempDir Path elsewhere) throws Exception {
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwx------"));
        Files.createSymbolicLink(base.resolve(DIRECTORY), elsewhere);

        assertEquals(base, TempFiles.directoryUnder(base));
    }
}
