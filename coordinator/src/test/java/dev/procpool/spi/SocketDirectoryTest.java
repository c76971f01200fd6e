package dev.procpool.spi;

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

/** The socket directories of JVMs that are gone are removed by the next; the others stay. */
@Timeout(30)
class SocketDirectoryTest {

    @Test
    void removeOrphans_removesOnlyTheDirectoriesOfJvmsThatAreGone(@TempDir Path parent) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
        Path orphan = Files.createDirectory(parent.resolve("procpool-ssh-" + gone.pid() + "-123"));
        Files.writeString(orphan.resolve("h0"), "a stale socket");
        Path ours = Files.createDirectory(parent.resolve("procpool-ssh-" + ProcessHandle.current().pid() + "-456"));
        Path unnamed = Files.createDirectory(parent.resolve("procpool-ssh-789"));

        SocketDirectory.removeOrphans(parent);

        assertFalse(Files.exists(orphan), "its JVM is gone");
        assertTrue(Files.exists(ours), "its JVM runs");
        assertTrue(Files.exists(unnamed), "no pid in its name: not known to be an orphan");
    }

    @Test
    void create_namesTheDirectoryByThisJvm_onlyItsUserMayEnter() throws Exception {
        Path made = SocketDirectory.create();
        try {
            assertTrue(made.getFileName().toString().startsWith("procpool-ssh-" + ProcessHandle.current().pid() + "-"));
            assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(made));
        } finally {
            Files.deleteIfExists(made);
        }
    }
}
