package dev.procpool.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The embedded SSH server, driven by the system {@code ssh} client as the SSH launcher will drive it. */
// A separate thread: a read from a process's pipe ignores interrupts, so the default mode would wait on a stall forever.
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(RequiresSshClient.class)
class SshServerFixtureTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Sessions on one multiplexed connection: OpenSSH's sshd allows 10 (MaxSessions), the SSH launcher needs more. */
    private static final int SESSIONS = 64;

    @TempDir
    Path tempDir;

    private final List<SshServerFixture> hosts = new ArrayList<>();
    private final List<Process> clients = new ArrayList<>();
    private Path config;

    /** What an {@code ssh} client that ran to the end left behind. */
    private record Outcome(int status, String stdout, String stderr) {
    }

    @AfterEach
    void leaveNothingBehind() throws Exception {
        clients.forEach(Process::destroyForcibly);
        for (Process client : clients) {
            assertTrue(client.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS), "ssh client " + client.pid() + " lives");
        }
        for (SshServerFixture host : hosts) {
            List<ProcessHandle> started = host.startedProcesses();
            host.close();
            assertTrue(started.stream().noneMatch(ProcessHandle::isAlive), "a command outlived its server");
        }
    }

    @Test
    void exec_returnsOutputErrorAndExitStatus() throws Exception {
        startHosts(1);

        Outcome outcome = run("alias1", "echo out; echo err >&2; exit 3");

        assertEquals(new Outcome(3, "out\n", "err\n"), outcome);
    }

    @Test
    void commandString_isReparsedByTheRemoteShell() throws Exception {
        startHosts(1);

        assertEquals(new Outcome(0, "a b", ""), run("alias1", "printf '%s' 'a b'"));
    }

    @Test
    void twoFixtures_areTwoHostsWithSeparateHomes() throws Exception {
        startHosts(2);
        String home1 = hosts.get(0).home().toRealPath().toString();
        String home2 = hosts.get(1).home().toRealPath().toString();

        assertEquals(new Outcome(0, home1 + "\n" + home1 + "\n", ""),
                run("alias1", "pwd; echo \"$HOME\"; echo one > mark"));
        assertEquals(new Outcome(0, "one\n", ""), run("alias1", "cat mark"));
        Outcome second = run("alias2", "pwd; cat mark");

        assertEquals(home2 + "\n", second.stdout());
        assertNotEquals(0, second.status(), "host 2 sees host 1's file");
    }

    @Test
    void binaryData_10MiB_comesBackIdentical() throws Exception {
        startHosts(1);
        byte[] data = new byte[10 << 20];
        new SplittableRandom().nextBytes(data);
        Process cat = ssh("alias1", "cat");

        FutureTask<Void> written = writeInBackground(cat, data);
        byte[] echoed = cat.getInputStream().readAllBytes();

        written.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(cat.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(0, cat.exitValue());
        assertEquals(data.length, echoed.length);
        assertEquals(sha256(data), sha256(echoed));
    }

    @Test
    void pingPong_2000RoundTripsOf8Bytes_doNotStall() throws Exception {
        startHosts(1);
        Process cat = ssh("alias1", "cat");
        OutputStream toCat = cat.getOutputStream();
        DataInputStream fromCat = new DataInputStream(cat.getInputStream());
        byte[] message = new byte[8];
        byte[] reply = new byte[8];
        long[] nanos = new long[2_000];

        for (int i = 0; i < nanos.length; i++) {
            ByteBuffer.wrap(message).putLong(i);
            long start = System.nanoTime();
            toCat.write(message);
            toCat.flush();
            fromCat.readFully(reply);
            nanos[i] = System.nanoTime() - start;
            assertArrayEquals(message, reply, "round trip " + i);
        }
        toCat.close();

        assertTrue(cat.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(0, cat.exitValue());
        Arrays.sort(nanos);
        System.out.printf("8-byte round trip through ssh and the embedded server, %d trips: p50 %d us, p90 %d us,"
                + " p99 %d us, max %d us%n", nanos.length, micros(nanos, 0.50), micros(nanos, 0.90),
                micros(nanos, 0.99), nanos[nanos.length - 1] / 1_000);
    }

    @Test
    void controlMaster_carries64ConcurrentSessionsOnOneConnection() throws Exception {
        startHosts(1);
        SshServerFixture host = hosts.get(0);
        String controlPath = "ControlPath=" + tempDir.resolve("master");
        ssh("-o", "ControlMaster=yes", "-o", controlPath, "-N", "alias1");
        await().atMost(WAIT).until(() -> Files.exists(tempDir.resolve("master")));

        List<Process> sessions = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            sessions.add(ssh("-o", controlPath, "alias1", "cat"));
        }
        for (int i = 0; i < sessions.size(); i++) {
            assertEquals("session " + i, echoLine(sessions.get(i), "session " + i));
        }

        assertEquals(1, host.connectionCount(), "sessions did not all go through the master connection");
        assertEquals(SESSIONS, host.startedProcesses().stream().filter(ProcessHandle::isAlive).count());
        for (Process session : sessions) {
            session.getOutputStream().close();
        }
        for (Process session : sessions) {
            assertTrue(session.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        }
        // Each cat saw its input end and exited 0 on the server. (The clients' own status is not asserted: through a
        // loaded master, OpenSSH's mux client now and then exits 255 for a session whose status it did not pass on;
        // the SSH launcher retries such silent 255s of its short commands.)
        for (ProcessHandle cat : host.startedProcesses()) {
            assertTrue(cat.onExit().thenApply(ended -> true).completeOnTimeout(false, WAIT.toMillis(),
                    TimeUnit.MILLISECONDS).join(), "cat " + cat.pid() + " ended");
        }
        assertEquals(List.of(0), host.exitStatuses().stream().distinct().toList());
    }

    @Test
    void remoteProcessKilledBySignal_makesSshExit255LikeOpenSshd() throws Exception {
        startHosts(1);

        assertEquals(255, run("alias1", "kill -9 $$").status());
    }

    @Test
    void stop_dropsConnectionsAndEndsTheCommandsInput() throws Exception {
        startHosts(1);
        SshServerFixture host = hosts.get(0);
        Process cat = ssh("alias1", "cat; echo $? > cat-ended");
        assertEquals("ping", echoLine(cat, "ping"));

        host.stop();

        assertTrue(cat.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS), "ssh still runs after its server stopped");
        assertEquals(255, cat.exitValue());
        await().atMost(WAIT).until(() -> contentOf(host.home().resolve("cat-ended")), "0\n"::equals);
        assertEquals(1, host.startedProcesses().size());
        await().atMost(WAIT).until(() -> host.startedProcesses().stream().noneMatch(ProcessHandle::isAlive));
        assertEquals(255, run("alias1", "true").status(), "a stopped server still takes connections");
    }

    @Test
    void clientGone_commandsInputEndsButNothingIsKilledUntilClose() throws Exception {
        startHosts(1);
        SshServerFixture host = hosts.get(0);
        Process reader = ssh("alias1", "cat; echo $? > cat-ended");
        Process sleeper = ssh("alias1", "echo $$ > sleeper-pid; exec sleep 600");
        assertEquals("ping", echoLine(reader, "ping"));
        Path pidFile = host.home().resolve("sleeper-pid");
        await().atMost(WAIT).until(() -> contentOf(pidFile).endsWith("\n"));
        ProcessHandle sleep = ProcessHandle.of(Long.parseLong(contentOf(pidFile).strip())).orElseThrow();

        reader.destroyForcibly();
        sleeper.destroyForcibly();

        await().atMost(WAIT).until(() -> contentOf(host.home().resolve("cat-ended")), "0\n"::equals);
        await().atMost(WAIT).until(() -> host.connectionCount() == 0);
        assertTrue(sleep.isAlive(), "the server killed a command when its client left; sshd does not");
        host.close();
        assertFalse(sleep.isAlive(), "close() left a command running");
    }

    private void startHosts(int count) throws IOException {
        Map<String, SshServerFixture> byAlias = new LinkedHashMap<>();
        for (int i = 1; i <= count; i++) {
            SshServerFixture host = SshServerFixture.start();
            hosts.add(host);
            byAlias.put("alias" + i, host);
        }
        config = SshClientConfig.write(tempDir.resolve("ssh.conf"), byAlias);
    }

    /** Starts {@code ssh -F CONFIG -T ARGUMENTS...}, its stderr kept in a file; the test kills it if it still runs. */
    private Process ssh(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("ssh", "-F", config.toString(), "-T"));
        command.addAll(List.of(arguments));
        Path stderr = tempDir.resolve("ssh-" + clients.size() + ".err");
        Process client = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        clients.add(client);
        return client;
    }

    private Outcome run(String alias, String remoteCommand) throws Exception {
        Path stderr = tempDir.resolve("ssh-" + clients.size() + ".err");
        Process client = ssh(alias, remoteCommand);
        client.getOutputStream().close();
        String stdout = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(client.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS), "ssh " + alias + " " + remoteCommand);
        return new Outcome(client.exitValue(), stdout, Files.readString(stderr));
    }

    /** Sends one line to a running {@code cat} and returns the line that comes back. */
    private static String echoLine(Process cat, String line) throws IOException {
        Writer toCat = new OutputStreamWriter(cat.getOutputStream(), StandardCharsets.UTF_8);
        toCat.write(line + "\n");
        toCat.flush();
        return new BufferedReader(new InputStreamReader(cat.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    private static FutureTask<Void> writeInBackground(Process process, byte[] data) {
        FutureTask<Void> task = new FutureTask<>(() -> {
            try (OutputStream toProcess = process.getOutputStream()) {
                toProcess.write(data);
            }
            return null;
        });
        Thread.ofPlatform().name("ssh-client-stdin-writer").daemon().start(task);
        return task;
    }

    private static String contentOf(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static String sha256(byte[] data) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static long micros(long[] sortedNanos, double quantile) {
        return sortedNanos[(int) (quantile * (sortedNanos.length - 1))] / 1_000;
    }
}
