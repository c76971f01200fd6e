package dev.procpool.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.procpool.testing.CoordinatorJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator's temporary files: in procpool's own directory, named by the PID namespace and pid of the JVM that
 * made them; those of a JVM of the same namespace that is gone are deleted by the next that makes one, and nothing
 * else is.
 */
@Timeout(30)
class TempFilesTest {

    private static final long PID = ProcessHandle.current().pid();
    private static final String DIRECTORY = "procpool-" + System.getProperty("user.name");
    private static final String NAMESPACE = TempFiles.namespaceOf(Path.of("/proc/self/ns/pid"));
    /** Runs its arguments after setting the pid its namespace gives next to its first argument plus one. */
    private static final String NEXT_PID_SCRIPT = "echo \"$1\" > /proc/sys/kernel/ns_last_pid || exit 97; shift; "
            + "\"$@\"; exit $?";
    private static final List<String> UNSHARE = List.of("unshare", "--pid", "--fork", "--mount-proc", "--kill-child");

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
        assertTrue(file.getFileName().toString().startsWith("procpool-classpath-" + NAMESPACE + "-" + PID + "-"),
                file.toString());
        assertTrue(file.getFileName().toString().endsWith(".args"), file.toString());
        // An earlier build's sweep read procpool-KIND-PID-...: it must not take this name for a dead pid's.
        assertFalse(file.getFileName().toString().matches("procpool-[a-z]+-(\\d+)-.+"), file.toString());
    }

    @Test
    void create_firstFileUnderABase_deletesTheFilesOfJvmsOfItsNamespaceThatAreGone_andNothingElse(@TempDir Path base)
            throws Exception {
        assumeTrue(!NAMESPACE.equals(TempFiles.UNKNOWN_NAMESPACE), "this JVM cannot read /proc/self/ns/pid");
        long gone = endedPid();
        String otherNamespace = "ns" + (Long.parseLong(NAMESPACE.substring("ns".length())) + 1);
        Path directory = Files.createDirectory(base.resolve(DIRECTORY),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path orphanInDirectory = Files.createFile(directory.resolve(name("shared", NAMESPACE, gone, "1.bin")));
        Path orphanInBase = Files.createFile(base.resolve(name("classpath", NAMESPACE, gone, "2.args")));
        Path living = Files.createFile(directory.resolve(name("shared", NAMESPACE, PID, "3.bin")));
        Path otherNamespaces = Files.createFile(directory.resolve(name("shared", otherNamespace, gone, "4.bin")));
        Path unknownNamespace = Files.createFile(
                directory.resolve(name("shared", TempFiles.UNKNOWN_NAMESPACE, gone, "5.bin")));
        Path unrelated = Files.createFile(base.resolve("procpool-notes.txt"));
        Path socketDirectory = Files.createDirectory(base.resolve("procpool-ssh-" + gone + "-6"));

        TempFiles.create(base, "shared", ".bin");

        assertFalse(Files.exists(orphanInDirectory), "its JVM is gone");
        assertFalse(Files.exists(orphanInBase), "its JVM is gone, and could not use procpool's directory");
        assertTrue(Files.exists(living), "its JVM runs");
        assertTrue(Files.exists(otherNamespaces), "its pid is another namespace's: its JVM may well run");
        assertTrue(Files.exists(unknownNamespace), "its JVM did not know its namespace");
        assertTrue(Files.exists(unrelated), "no pid in its name");
        assertTrue(Files.exists(socketDirectory), "a directory, not a file of ours");
    }

    @Test
    void create_sweepsTheNamesOfTheBuildBefore_andLeavesThoseWithoutANamespace(@TempDir Path base)
            throws Exception {
        assumeTrue(!NAMESPACE.equals(TempFiles.UNKNOWN_NAMESPACE), "this JVM cannot read /proc/self/ns/pid");
        long gone = endedPid();
        long number = Long.parseLong(NAMESPACE.substring("ns".length()));
        Path directory = Files.createDirectory(base.resolve(DIRECTORY),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        // The first builds: procpool-KIND-PID-RANDOM.SUFFIX.
        Path pidOnlyGone = Files.createFile(directory.resolve("procpool-shared-" + gone + "-4711.bin"));
        Path pidOnlyGoneInBase = Files.createFile(base.resolve("procpool-classpath-" + gone + "-4712.args"));
        Path pidOnlyLiving = Files.createFile(directory.resolve("procpool-shared-" + PID + "-4713.bin"));
        // Later ones: procpool-KIND-NAMESPACE-PID-RANDOM.SUFFIX, the namespace's number alone, which is no running pid.
        Path numberedGone = Files.createFile(directory.resolve(name("shared", Long.toString(number), gone, "1.bin")));
        Path numberedLiving = Files.createFile(directory.resolve(name("shared", Long.toString(number), PID, "2.bin")));
        Path numberedOther = Files.createFile(directory.resolve(name("shared", Long.toString(number + 1), gone,
                "3.bin")));
        Path numberedUnknown = Files.createFile(directory.resolve(name("shared", TempFiles.UNKNOWN_NAMESPACE, gone,
                "4.bin")));
        Path oneNumber = Files.createFile(base.resolve("procpool-classes-" + gone + ".jar"));

        TempFiles.create(base, "shared", ".bin");

        assertTrue(Files.exists(pidOnlyGone), "no namespace: its pid may be a live coordinator's in another");
        assertTrue(Files.exists(pidOnlyGoneInBase), "no namespace: its pid may be a live coordinator's in another");
        assertTrue(Files.exists(pidOnlyLiving), "its JVM runs");
        assertFalse(Files.exists(numberedGone), "its JVM, of this namespace, is gone");
        assertTrue(Files.exists(numberedLiving), "its JVM runs: the namespace's number is not read as a pid");
        assertTrue(Files.exists(numberedOther), "its pid is another namespace's");
        assertTrue(Files.exists(numberedUnknown), "its JVM did not know its namespace");
        assertTrue(Files.exists(oneNumber), "not a name procpool gives its files: one number");
    }

    private static String name(String kind, String namespace, long pid, String rest) {
        return "procpool-" + kind + "-" + namespace + "-" + pid + "-" + rest;
    }

    /**
     * A live coordinator in another PID namespace (a container sharing {@code /dev/shm} or {@code /tmp}), whose pid
     * there is not running here: its file stays.
     */
    @Test
    void deleteOrphans_aLiveJvmInAnotherPidNamespace_keepsItsFile_thoughItsPidIsGoneHere(@TempDir Path base)
            throws Exception {
        assumeTrue(runs(List.of("sh", "-c", "echo 1 > /proc/sys/kernel/ns_last_pid"), UNSHARE),
                "`unshare --pid --fork --mount-proc` with a settable /proc/sys/kernel/ns_last_pid (root on Linux) "
                        + "is needed to start a JVM in a PID namespace of its own");
        long goneHere = endedPid();
        List<String> prefix = new ArrayList<>(UNSHARE);
        prefix.addAll(List.of("sh", "-c", NEXT_PID_SCRIPT, "peer", Long.toString(goneHere - 1)));
        CoordinatorJvm peer = CoordinatorJvm.start(prefix, NamespacePeer.class, List.of(base.toString()));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> peer.value("pid") != null || !peer.process().isAlive());
            assertNotNull(peer.value("pid"), () -> "the peer printed no pid: " + peer.out() + " " + stderr(peer));
            assertEquals(goneHere, Long.parseLong(peer.value("pid")), "its pid there is one that is gone here");
            Path file = Path.of(peer.value("file"));
            assertFalse(file.getFileName().toString().contains("-" + NAMESPACE + "-"), file.toString());

            TempFiles.deleteOrphans(file.getParent());

            assertTrue(peer.process().isAlive(), "the peer runs on");
            assertTrue(Files.exists(file), "its JVM runs, in another namespace");
        } finally {
            peer.process().getOutputStream().close();
            if (!peer.process().waitFor(10, TimeUnit.SECONDS)) {
                peer.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void namespaceOf_readsTheInodeOfTheLink_orSaysItIsUnknown(@TempDir Path base) throws Exception {
        Path link = Files.createSymbolicLink(base.resolve("pid"), Path.of("pid:[4026531836]"));
        Path notALink = Files.createFile(base.resolve("file"));

        assertEquals("ns4026531836", TempFiles.namespaceOf(link));
        assertEquals(TempFiles.UNKNOWN_NAMESPACE, TempFiles.namespaceOf(notALink));
        assertEquals(TempFiles.UNKNOWN_NAMESPACE, TempFiles.namespaceOf(base.resolve("absent")));
    }

    /** Whether {@code command}, behind {@code prefix}, ends well within ten seconds. */
    private static boolean runs(List<String> command, List<String> prefix) throws InterruptedException {
        List<String> line = new ArrayList<>(prefix);
        line.addAll(command);
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false; // no unshare
        }
    }

    private static String stderr(CoordinatorJvm peer) {
        try {
            return Files.readString(peer.err());
        } catch (IOException e) {
            return "(its stderr cannot be read: " + e + ")";
        }
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
