package dev.procpool.spi;

import static dev.procpool.testing.Processes.signal;
import static dev.procpool.testing.Processes.state;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Processes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The host's side of a remote worker's babysitting, its two {@code sh} scripts run here as a server runs a session's
 * command: in the home directory, with the session's streams as pipes. No SSH: what they do with processes.
 */
@Timeout(30)
class RemoteBabysitterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String DIRECTORY = RemoteBabysitter.DIRECTORIES + "/test";
    /** How long a worker's shell lets its output relay drain once the worker has ended, in seconds. */
    private static final String GRACE = "1";

    @TempDir
    Path home;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killWhatIsLeft() {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Test
    void worker_namesItsOwnProcessGroupWhileItRuns_andTakesTheNameBackWhenItEnds_silently() throws Exception {
        Files.createDirectories(home.resolve(DIRECTORY)); // as its connection's reaper made it
        Process wrapper = start(List.of(), RemoteBabysitter.WORKER, DIRECTORY, GRACE, "sleep", "30");

        await().atMost(WAIT).until(() -> names().size() == 1);
        long worker = Long.parseLong(names().getFirst());
        // The shell's children: the worker, and the cat that relays its output to the session's stderr.
        assertEquals(List.of("cat", "sleep"), wrapper.children().map(child -> Path.of(child.info().command()
                .orElse("?")).getFileName().toString()).sorted().toList());
        assertTrue(wrapper.children().anyMatch(child -> child.pid() == worker), "the named process is the shell's child");
        assertEquals(worker, processGroup(worker), "the worker leads a process group of its own");

        ProcessHandle.of(worker).orElseThrow().destroyForcibly();

        assertTrue(wrapper.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the shell ends with its worker");
        assertEquals(List.of(), names());
        // What the shell itself said would land among the worker's lines (a shell says "Killed").
        assertEquals("", new String(wrapper.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void worker_withoutSetsid_replacesItselfWithTheWorker_andNamesNothing() throws Exception {
        Files.createDirectories(home.resolve(DIRECTORY));
        Path noPrograms = Files.createDirectory(home.resolve("empty-bin"));
        // The "worker" says which process it is on the protocol's descriptor, where the shell moved stdout.
        Process wrapper = start(List.of("PATH=" + noPrograms), RemoteBabysitter.WORKER, DIRECTORY, GRACE, "/bin/sh", "-c",
                "echo $$ >&4");

        String said = firstLine(wrapper);

        assertTrue(wrapper.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, wrapper.exitValue());
        assertEquals(Long.toString(wrapper.pid()), said, "the worker runs in the shell's own process");
        assertEquals(List.of(), names(), "nothing named");
    }

    /**
     * ssh exits 255 for a session whose command a signal killed, and with the command's status otherwise: the shell
     * dies of its worker's signal, and passes any other status on as it is (147, SIGSTOP's number plus 128, must not
     * stop it). perl reads the shell's raw wait status, which Java folds into one number.
     */
    @ParameterizedTest
    @CsvSource({"'kill -KILL $$', signal 9", "'kill -TERM $$', signal 15", "'exit 3', status 3",
            "'exit 147', status 147", "'exit 200', status 200"})
    void worker_endsAsItsWorkerEnded_bySignalOrStatus(String worker, String expected) throws Exception {
        Files.createDirectories(home.resolve(DIRECTORY));
        List<String> command = new ArrayList<>(List.of("perl", "-e",
                "system(@ARGV); print(($? & 127) ? 'signal ' . ($? & 127) : 'status ' . ($? >> 8))",
                "/bin/sh", "-c", RemoteBabysitter.WORKER, "procpool-test", DIRECTORY, GRACE, "/bin/sh", "-c", worker));
        Process perl = new ProcessBuilder(command).directory(home.toFile()).start();
        started.add(perl);

        assertTrue(perl.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the shell ends with its worker");
        assertEquals(expected, new String(perl.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals("", new String(perl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(List.of(), names());
    }

    @Test
    void worker_thatEnds_takesWhatIsLeftOfItsGroupWithIt() throws Exception {
        Files.createDirectories(home.resolve(DIRECTORY));
        // A "worker" that leaves a process of its group behind and ends.
        Process wrapper = start(List.of(), RemoteBabysitter.WORKER, DIRECTORY, GRACE, "/bin/sh", "-c",
                "sleep 30 & echo $! >&4");
        String left = firstLine(wrapper);

        assertTrue(wrapper.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, wrapper.exitValue());
        await().atMost(WAIT).until(() -> ProcessHandle.of(Long.parseLong(left)).map(Processes::running).orElse(false)
                == false);
    }

    /**
     * A process the worker started in a session of its own, holding the worker's stderr, must not hold the session's:
     * a server ends the session's output only once nothing holds it, and until then the worker's end goes unseen.
     */
    @Test
    void worker_whoseDaemonHoldsItsStderr_endsWithItsWorker_andTheSessionsStderrEnds_withTheWorkersLines()
            throws Exception {
        Files.createDirectories(home.resolve(DIRECTORY));
        String daemon = "sleep 31.25";
        try {
            // The "worker" ends once its daemon has a session of its own (before, ending the worker's group ends it).
            Process wrapper = start(List.of(), RemoteBabysitter.WORKER, DIRECTORY, GRACE, "/bin/sh", "-c",
                    "setsid sh -c 'echo $$ >daemon; exec " + daemon + "' & while [ ! -s daemon ]; do sleep 0.05; done; "
                            + "echo last words >&2; exit 3");
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(wrapper.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });

            assertTrue(wrapper.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the shell ends with its worker");
            assertEquals(3, wrapper.exitValue());
            assertEquals("last words\n", stderr.get(WAIT.toSeconds(), TimeUnit.SECONDS),
                    "the session's stderr ends, with all the worker said");
        } finally {
            Path pid = home.resolve("daemon");
            if (Files.exists(pid)) {
                ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void kill_endsANamedGroup_andLeavesAPidThatIsNotNamedAlone() throws Exception {
        Files.createDirectories(home.resolve(DIRECTORY));
        Process named = start(List.of(), RemoteBabysitter.WORKER, DIRECTORY, GRACE, "sleep", "30");
        await().atMost(WAIT).until(() -> names().size() == 1);
        long worker = Long.parseLong(names().getFirst());
        // A process of the same user that leads a group of its own, as a reused pid might, but is named nowhere.
        Process stranger = new ProcessBuilder("setsid", "sleep", "30").start();
        started.add(stranger);
        await().atMost(WAIT).until(() -> processGroup(stranger.pid()) == stranger.pid());

        Process notNamed = start(List.of(), RemoteBabysitter.KILL, DIRECTORY, Long.toString(stranger.pid()));
        Process killed = start(List.of(), RemoteBabysitter.KILL, DIRECTORY, Long.toString(worker));

        assertTrue(notNamed.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS) && killed.waitFor(WAIT.toSeconds(),
                TimeUnit.SECONDS));
        assertEquals(0, notNamed.exitValue());
        assertEquals(0, killed.exitValue());
        assertTrue(named.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the named worker's shell ends with it");
        assertTrue(stranger.isAlive(), "a process whose pid is not named is left alone");
    }

    @Test
    void worker_whoseDirectoryIsGone_namesNothing_andDoesNotMakeItAnew() throws Exception {
        // No directory: its reaper has ended (and removed it), so nobody would ever remove one made now.
        Process wrapper = start(List.of(), RemoteBabysitter.WORKER, DIRECTORY, GRACE, "/bin/sh", "-c", "echo $$ >&4");

        String said = firstLine(wrapper);

        assertTrue(wrapper.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, wrapper.exitValue(), "the worker ran, and its status is the shell's");
        assertTrue(Long.parseLong(said) > 0);
        assertFalse(Files.exists(home.resolve(RemoteBabysitter.DIRECTORIES)), "no directory made");
        assertEquals("", new String(wrapper.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void reaper_saysReady_onlyOnceItsDirectoryIsThere() throws Exception {
        Process reaper = start(List.of(), RemoteBabysitter.REAPER, DIRECTORY);

        assertTrue(saysReady(reaper));
        assertTrue(Files.isDirectory(home.resolve(DIRECTORY)));
        reaper.getOutputStream().close();
        assertTrue(reaper.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, reaper.exitValue());
        assertFalse(Files.exists(home.resolve(DIRECTORY)), "its directory is removed");
    }

    @Test
    void reaper_removesTheDirectoriesOfThisHostsReapersThatAreGone_andNoOtherOnes() throws Exception {
        String host = new String(new ProcessBuilder("uname", "-n").start().getInputStream().readAllBytes(),
                StandardCharsets.UTF_8).strip();
        String boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
        long gone = new ProcessBuilder("true").start().onExit().get(10, TimeUnit.SECONDS).pid();
        long running = ProcessHandle.current().pid();
        Path killed = owned("killed", host + " " + boot + " " + gone);
        Path beforeReboot = owned("before-reboot", host + " an-earlier-boot " + running);
        Path live = owned("live", host + " " + boot + " " + running);
        Path otherHost = owned("other-host", "another-host " + boot + " " + gone);
        Path unowned = Files.createDirectories(home.resolve(RemoteBabysitter.DIRECTORIES).resolve("unowned"));

        Process reaper = start(List.of(), RemoteBabysitter.REAPER, DIRECTORY);

        assertTrue(saysReady(reaper));
        assertFalse(Files.exists(killed), "a reaper of this boot that no longer runs");
        assertFalse(Files.exists(beforeReboot), "a reaper of an earlier boot");
        assertTrue(Files.exists(live) && Files.exists(otherHost) && Files.exists(unowned));
        assertEquals(List.of(host, boot, Long.toString(reaper.pid())), List.of(Files.readString(
                home.resolve(DIRECTORY).resolve(RemoteBabysitter.OWNER)).strip().split(" ")));
        reaper.getOutputStream().close();
        assertTrue(reaper.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals("", new String(reaper.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** A connection's directory whose owner file says {@code owner}. */
    private Path owned(String name, String owner) throws IOException {
        Path directory = Files.createDirectories(home.resolve(RemoteBabysitter.DIRECTORIES).resolve(name));
        Files.writeString(directory.resolve(RemoteBabysitter.OWNER), owner + "\n");
        Files.writeString(directory.resolve("4711"), "");
        return directory;
    }

    /**
     * A coordinator that dies as its connection opens leaves the reaper's word no reader: the reaper still waits for
     * its stdin's end and removes its directory, where SIGPIPE would have ended it in between.
     */
    @Test
    void reaper_whoseWordHasNoReader_stillRemovesItsDirectory() throws Exception {
        // The reaper's output is a pipe whose reader (true) has ended by the time the reaper starts.
        Process wrapper = start(List.of(), "{ sleep 0.3; exec /bin/sh -c \"$1\" procpool-test \"$2\"; } | true",
                RemoteBabysitter.REAPER, DIRECTORY);
        // Whenever its stdin ends, it says its word first (a SIGPIPE then would end it with the directory made).
        await().atMost(WAIT).until(() -> Files.isDirectory(home.resolve(DIRECTORY)));

        wrapper.getOutputStream().close();

        assertTrue(wrapper.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertFalse(Files.exists(home.resolve(DIRECTORY)), "its directory is removed");
    }

    @Test
    void reaper_thatCannotMakeItsDirectory_failsWithTheReason_andSaysNotReady() throws Exception {
        Files.writeString(home.resolve(".cache"), "a file where the directory would go");

        Process reaper = start(List.of(), RemoteBabysitter.REAPER, DIRECTORY);

        assertTrue(reaper.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "it ends without waiting for its stdin");
        assertEquals(1, reaper.exitValue());
        assertEquals("", new String(reaper.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertTrue(new String(reaper.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).contains("mkdir"));
    }

    @Test
    void reaper_whenItsStdinEnds_wakesAndEndsEveryNamedGroup_evenAStoppedOne_andItsStoppedShell() throws Exception {
        Process reaper = start(List.of(), RemoteBabysitter.REAPER, DIRECTORY);
        assertTrue(saysReady(reaper), "a connection opens once its reaper is ready");
        // A worker whose task started a process of its own: both are in the worker's group.
        Process shell = start(List.of(), RemoteBabysitter.WORKER, DIRECTORY, GRACE, "/bin/sh", "-c",
                "sleep 30 & wait");
        await().atMost(WAIT).until(() -> names().size() == 1);
        long worker = Long.parseLong(names().getFirst());
        assertEquals(Long.toString(shell.pid()), Files.readString(home.resolve(DIRECTORY).resolve(names().getFirst()))
                .strip(), "the group's file holds its shell's pid");
        ProcessHandle group = ProcessHandle.of(worker).orElseThrow();
        await().atMost(WAIT).until(() -> group.children().count() == 1);
        List<ProcessHandle> everything = Stream.concat(Stream.of(group, shell.toHandle()),
                Stream.concat(group.descendants(), shell.descendants())).toList();
        // Stopped by a pattern that matched the worker's command line, and so its shell's too.
        signal("STOP", worker);
        signal("STOP", shell.pid());
        await().atMost(WAIT).until(() -> state(worker) == 'T' && state(shell.pid()) == 'T');

        reaper.getOutputStream().close(); // the session's stdin ends: its coordinator is gone

        await().atMost(Duration.ofSeconds(3)).until(() -> everything.stream().noneMatch(Processes::running));
        assertTrue(reaper.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the reaper ends once it has done");
        assertFalse(Files.exists(home.resolve(DIRECTORY)), "its directory is removed");
    }

    /** The first line the "worker" wrote on the protocol's descriptor, which is the shell's stdout. */
    private static String firstLine(Process wrapper) throws IOException {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(wrapper.getInputStream(),
                StandardCharsets.UTF_8))) {
            return out.readLine();
        }
    }

    /** Reads the reaper's output up to its word that it is ready; false if it ends first. */
    private static boolean saysReady(Process reaper) throws IOException {
        BufferedReader output = new BufferedReader(
                new InputStreamReader(reaper.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = output.readLine()) != null) {
            if (line.equals(RemoteBabysitter.READY)) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code script} as {@code /bin/sh -c} with {@code arguments}, in {@code home}, with {@code environment}. */
    private Process start(List<String> environment, String script, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("env"));
        command.addAll(environment);
        command.addAll(List.of("/bin/sh", "-c", script, "procpool-test"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(home.toFile()).start();
        started.add(process);
        return process;
    }

    /** The names in the test's directory: process groups (not the reaper's dot file, as its {@code *} does not). */
    private List<String> names() throws IOException {
        Path directory = home.resolve(DIRECTORY);
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> !name.startsWith(".")).toList();
        }
    }

    /** The process group of {@code pid}, from /proc. */
    private static long processGroup(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
    }
}
