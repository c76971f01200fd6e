package dev.procpool.spi;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.JobResult;
import dev.procpool.ProcessPool;
import dev.procpool.WorkerInfo;
import dev.procpool.jobs.SqrtJob;
import dev.procpool.testing.Processes;
import dev.procpool.testing.RequiresSshClient;
import dev.procpool.testing.SshHosts;
import dev.procpool.testing.SshPools;
import dev.procpool.testing.SshServerFixture;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSH launcher against two real SSH servers on 127.0.0.1 (two hosts with separate disks, named in an
 * {@code ssh -F} configuration) and the system {@code ssh} client: results, the class path's trip, and workers lost
 * in the ways a network loses them. The servers are shared by the class; each test makes its own launcher and pool.
 */
@ExtendWith(RequiresSshClient.class)
@Timeout(120)
class HostsLauncherIT {

    /** About four CPU-seconds of sqrt: long enough to hurt a worker mid-run, short enough for a test. */
    private static final long SIZE = 2_000_000_000L;
    private static final int TASKS = 64;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path directory;
    private static SshHosts hosts;

    private final ConcurrentLinkedQueue<String> notices = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void startHosts() throws IOException {
        hosts = SshHosts.in(directory).host("alpha").host("beta").start();
    }

    @AfterAll
    static void stopHosts() throws IOException {
        if (hosts != null) {
            hosts.close();
        }
    }

    @Test
    void sqrtOverTwoHosts_isBitIdenticalToThreads_withWorkersOnBothReportingWhatTheyUse() throws Exception {
        double expected = SshPools.threadsSqrt(SIZE, TASKS);

        try (HostsLauncher launcher = hosts.launcher(notices::add, "alpha:2", "beta:2");
                ProcessPool pool = SshPools.builder(launcher, 4, notices::add).start()) {
            JobResult<Double> result = pool.run(new SqrtJob(), SIZE, TASKS);

            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(result.value()),
                    () -> "threads " + expected + ", two hosts " + result.value());
            List<WorkerInfo> workers = pool.workerInfo();
            assertEquals(Map.of("alpha", 2L, "beta", 2L),
                    workers.stream().collect(Collectors.groupingBy(WorkerInfo::host, Collectors.counting())),
                    () -> "notices: " + notices);
            for (WorkerInfo worker : workers) {
                assertTrue(pidsStartedBy(hosts.host(worker.host())).contains(worker.pid()),
                        worker + " is not a process that its host's server started");
            }
            // Measured where the work is: each worker reports its own CPU time and memory, once a second.
            await().atMost(WAIT).until(() -> pool.workerInfo().stream()
                    .allMatch(worker -> worker.cpuNanos() > 0 && worker.peakResidentBytes() > 0));
        }
        assertEquals(List.of(), List.copyOf(notices));
    }

    /**
     * Workers retired after each task say what they used as they leave: a coordinator elsewhere learns it only from
     * them. Each task takes a millisecond, so a worker is gone long before its first heartbeat is due (a second after
     * it last said anything): without its last word it would stand at "unknown" (-1).
     */
    @Test
    void retiredWorkers_reportWhatTheyUsedAsTheyLeave() throws Exception {
        try (HostsLauncher launcher = hosts.launcher(notices::add, "alpha:1");
                ProcessPool pool = SshPools.builder(launcher, 1, notices::add).maxTasksPerWorker(1).start()) {
            pool.run(new SqrtJob(), 4_000_000, 4);
            await().atMost(WAIT).until(() -> pool.endedWorkerInfo().size() >= 3);

            for (WorkerInfo retired : pool.endedWorkerInfo()) {
                assertEquals("alpha", retired.host());
                assertTrue(retired.cpuNanos() > 0 && retired.residentBytes() > 0, retired + " said nothing it used");
            }
        }
    }

    @Test
    void classpath_reachesAHostThatLacksItByContentHash_andASecondPoolCopiesNothing() throws Exception {
        SshServerFixture alpha = hosts.host("alpha");
        Path cache = alpha.home().resolve(RemoteClasspath.CACHE);
        deleteRecursively(alpha.home().resolve(".cache"));
        int commandsBefore = alpha.commands().size();

        runSmallSqrtOn("alpha:1");

        List<String> firstCopies = copies(alpha.commands().subList(commandsBefore, alpha.commands().size()));
        assertEquals(2, firstCopies.size(), "the worker jar and the packed test classes: " + firstCopies);
        Map<Path, FileTime> cached = filesIn(cache);
        assertEquals(2, cached.size(), cached.toString());
        for (Path file : cached.keySet()) {
            assertEquals(file.getParent().getFileName().toString(), sha256(file).substring(0, 32),
                    file + " is not filed under the hash of its content");
        }
        Path workerJar = SshPools.workerClasspath().get(0);
        assertTrue(cached.containsKey(cache.resolve(sha256(workerJar).substring(0, 32)).resolve(workerJar.getFileName())),
                "the worker jar is not there by its hash: " + cached.keySet());
        int commandsAfterFirst = alpha.commands().size();

        runSmallSqrtOn("alpha:1");

        assertEquals(List.of(), copies(alpha.commands().subList(commandsAfterFirst, alpha.commands().size())));
        assertEquals(cached, filesIn(cache), "the cached files changed");
    }

    @Test
    void remoteWorkerSigkilledMidRun_resultIsIdentical_andSshExitStatus255CountsAsALostWorker() throws Exception {
        double expected = SshPools.threadsSqrt(SIZE, TASKS);

        try (HostsLauncher launcher = hosts.launcher(notices::add, "alpha:1", "beta:1");
                ProcessPool pool = SshPools.builder(launcher, 2, notices::add).start()) {
            CompletableFuture<JobResult<Double>> run = sqrtUnderWay(pool, 8);
            WorkerInfo victim = workerOn(pool, "beta");

            ProcessHandle.of(victim.pid()).orElseThrow().destroyForcibly();

            JobResult<Double> result = finish(run, pool);
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(result.value()));
            String lost = "(pid " + victim.pid() + " on beta) lost its ssh session (exit status 255: ";
            assertTrue(notices.stream().anyMatch(notice -> notice.contains(lost)), lost + " not in " + notices);
            await().atMost(WAIT).until(() -> pool.workerInfo().stream().filter(w -> w.host().equals("beta")).count() == 1
                    && pool.workerInfo().stream().noneMatch(w -> w.pid() == victim.pid()));
        }
    }

    /**
     * A remote worker that reads nothing (stopped) loses its own {@code ssh} client here (killed by hand, say): its
     * session ends, but the worker cannot read the end of its stdin, so the launcher kills it there; the notice says
     * what was killed, and the result is identical.
     */
    @Test
    void stoppedRemoteWorker_whoseSshClientIsKilledHere_isKilledThere_andTheNoticeSaysItLostItsSshClient()
            throws Exception {
        WorkerInfo victim = stopBetasWorkerThen(stopped -> workerSessionOf("beta").destroyForcibly());

        String said = "(pid " + victim.pid() + " on beta) lost its ssh client, which was killed on this machine "
                + "by signal 9 (exit status 137)";
        assertTrue(notices.stream().anyMatch(notice -> notice.contains(said)), said + " not in " + notices);
    }

    /**
     * The babysitter on a host killed outright (as the kernel kills for memory) can no longer end the connection's
     * workers: the connection counts as lost at once, its workers are killed while their names are still there (even
     * a stopped one), the host is dropped, and the result is identical.
     */
    @Test
    void reaperKilledOnAHost_itsWorkersAreKilled_evenAStoppedOne_andTheHostIsDropped() throws Exception {
        WorkerInfo victim = stopBetasWorkerThen(stopped -> {
            List<ProcessHandle> reapers = hosts.host("beta").startedProcesses().stream().filter(process -> List.of(
                    process.info().arguments().orElse(new String[0])).contains("procpool-reaper")).toList();
            assertEquals(1, reapers.size(), "the reaper of beta's connection");
            Processes.signal("KILL", reapers.getFirst().pid());
        });

        List<String> dropped = notices.stream().filter(notice -> notice.startsWith("host beta dropped")).toList();
        assertEquals(1, dropped.size(), notices.toString());
        assertTrue(dropped.get(0).contains("babysitter"), dropped.get(0));
        String said = "(pid " + victim.pid() + " on beta) was killed: the connection to its host was lost (the "
                + "babysitter";
        assertTrue(notices.stream().anyMatch(notice -> notice.contains(said)), said + " not in " + notices);
    }

    /** What a test does to a host, or to what runs there, once the worker on beta is stopped. */
    @FunctionalInterface
    private interface Harm {
        void to(ProcessHandle stopped) throws Exception;
    }

    /**
     * Runs the sqrt job on beta and alpha, one worker each, stops beta's worker mid-run (SIGSTOP: it reads nothing),
     * does {@code harm}, and checks that the result is identical to threads' and that the stopped worker is killed on
     * its host; returns the worker that was stopped. Whatever happens, no stopped worker is left behind.
     */
    private WorkerInfo stopBetasWorkerThen(Harm harm) throws Exception {
        double expected = SshPools.threadsSqrt(SIZE, TASKS);
        ProcessHandle stopped = null;
        try (HostsLauncher launcher = hosts.launcher(notices::add, "beta:1", "alpha:1");
                ProcessPool pool = SshPools.builder(launcher, 2, notices::add).start()) {
            CompletableFuture<JobResult<Double>> run = sqrtUnderWay(pool, 8);
            WorkerInfo victim = workerOn(pool, "beta");
            stopped = ProcessHandle.of(victim.pid()).orElseThrow();
            Processes.signal("STOP", stopped.pid());

            harm.to(stopped);

            JobResult<Double> result = finish(run, pool);
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(result.value()));
            ProcessHandle worker = stopped;
            await("the stopped worker killed on its host").atMost(WAIT).until(() -> !Processes.running(worker));
            return victim;
        } finally {
            if (stopped != null) {
                stopped.destroyForcibly();
            }
        }
    }

    /**
     * A link gone half-open, frozen: the SSH connection to one host stops carrying anything (its master {@code ssh},
     * which carries every session of that host: a worker's own {@code ssh} hands its streams to the master, so
     * stopping that one would stall nothing).
     */
    @Test
    void halfOpenLink_heartbeatsCatchTheWorker_theHostIsDropped_andTheWorkerReplacedElsewhere_resultIsIdentical()
            throws Exception {
        double expected = SshPools.threadsSqrt(SIZE, TASKS);
        ProcessHandle master = null;

        try (HostsLauncher launcher = hosts.launcher(notices::add, "beta:1", "alpha:2");
                ProcessPool pool = SshPools.builder(launcher, 2, notices::add).heartbeatTimeout(Duration.ofSeconds(2))
                        .start()) {
            CompletableFuture<JobResult<Double>> run = sqrtUnderWay(pool, 8);
            WorkerInfo victim = workerOn(pool, "beta");
            master = masterOf("beta");

            Processes.signal("STOP", master.pid());

            JobResult<Double> result = finish(run, pool);
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(result.value()));
            String caught = "(pid " + victim.pid() + " on beta) stopped responding";
            assertTrue(notices.stream().anyMatch(notice -> notice.contains(caught)), caught + " not in " + notices);
            // The kill sent through the frozen connection gets no answer: the launcher gives the host up.
            await().atMost(WAIT).until(() -> pool.workerInfo().stream().map(WorkerInfo::host).toList(),
                    List.of("alpha", "alpha")::equals);
            List<String> dropped = notices.stream().filter(notice -> notice.startsWith("host beta dropped")).toList();
            assertEquals(1, dropped.size(), notices.toString());
            assertTrue(dropped.get(0).contains("stopped answering"), dropped.get(0));
            ProcessHandle frozen = master;
            await().atMost(WAIT).until(() -> !Processes.running(frozen));
        } finally {
            if (master != null) {
                master.destroyForcibly();
            }
        }
    }

    /**
     * A whole host lost mid-run (its server drops every connection and stops listening): its worker's tasks are retried
     * on the other host, its replacements cannot connect and the host is dropped, the result is identical, and the
     * lost worker, whose stdin ended with its connection, is gone.
     */
    @Test
    void wholeHostLostMidRun_resultIsIdentical_theHostIsDropped_andItsWorkerEnds(@TempDir Path own) throws Exception {
        double expected = SshPools.threadsSqrt(SIZE, TASKS);
        try (SshHosts pair = SshHosts.in(own).host("alpha").host("gamma").start();
                HostsLauncher launcher = pair.launcher(notices::add, "alpha:1", "gamma:1");
                ProcessPool pool = SshPools.builder(launcher, 2, notices::add).start()) {
            CompletableFuture<JobResult<Double>> run = sqrtUnderWay(pool, 8);
            WorkerInfo victim = workerOn(pool, "gamma");
            ProcessHandle remote = ProcessHandle.of(victim.pid()).orElseThrow();

            pair.host("gamma").stop();

            JobResult<Double> result = finish(run, pool);
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(result.value()));
            await().atMost(WAIT).until(() -> notices.stream().anyMatch(notice -> notice.startsWith("host gamma dropped")));
            await().atMost(Duration.ofSeconds(5)).until(() -> !Processes.running(remote));
            assertEquals(List.of("alpha"), pool.workerInfo().stream().map(WorkerInfo::host).toList());
        }
    }

    /** A host nobody answers on is a start failure for that host only: the other runs the job, identical. */
    @Test
    void oneHostUnreachable_theOtherCarriesOn_withOneLineSayingWhy(@TempDir Path own) throws Exception {
        try (SshHosts pair = SshHosts.in(own).host("alpha").closedPort("nowhere").start();
                HostsLauncher launcher = pair.launcher(notices::add, "nowhere:2", "alpha:1");
                ProcessPool pool = SshPools.builder(launcher, 3, notices::add).start()) {
            JobResult<Double> result = pool.run(new SqrtJob(), 1_000_000, 4);

            assertEquals(Double.doubleToRawLongBits(SshPools.threadsSqrt(1_000_000, 4)),
                    Double.doubleToRawLongBits(result.value()));
            assertEquals(List.of("alpha"), pool.workerInfo().stream().map(WorkerInfo::host).toList());
            List<String> said = notices.stream().filter(notice -> notice.contains("nowhere")).toList();
            assertEquals(1, said.size(), notices.toString());
            assertTrue(said.get(0).startsWith("host nowhere is not used: cannot connect"), said.get(0));
            assertFalse(said.get(0).contains("\n"), said.get(0));
        }
    }

    /**
     * A host whose {@code java} is too old is not used, in one line naming it and the fix, and the others run the job;
     * {@code java} is found on each host's own PATH.
     */
    @Test
    void hostWithAnOldJava_isNotUsed_withOneLineSayingWhatToDo(@TempDir Path own) throws Exception {
        Path modern = Files.createDirectories(own.resolve("modern-bin"));
        Files.createSymbolicLink(modern.resolve("java"), Path.of(SshHosts.remoteJava()));
        Path old = Files.createDirectories(own.resolve("old-bin"));
        Path oldJava = Files.writeString(old.resolve("java"),
                "#!/bin/sh\necho 'openjdk version \"17.0.15\" 2025-04-15' >&2\nexit 0\n");
        Files.setPosixFilePermissions(oldJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (SshHosts pair = SshHosts.in(own).host("old", List.of(old)).host("alpha", List.of(modern)).start();
                HostsLauncher launcher = pair.launcher("java", notices::add, "old:1", "alpha:1");
                ProcessPool pool = SshPools.builder(launcher, 2, notices::add).start()) {
            JobResult<Double> result = pool.run(new SqrtJob(), 1_000_000, 4);

            assertEquals(Double.doubleToRawLongBits(SshPools.threadsSqrt(1_000_000, 4)),
                    Double.doubleToRawLongBits(result.value()));
            assertEquals(List.of("alpha"), pool.workerInfo().stream().map(WorkerInfo::host).toList());
            assertEquals(List.of("host old is not used: 'java' there is Java 17; procpool needs Java 25 or later: "
                    + "install one there, or name it with --remote-java=PATH"), List.copyOf(notices));
        }
    }

    /**
     * close() while prepare() is busy with a host (here its {@code java -version} hangs): close returns promptly (the
     * lock is not held through the network work), ends the connection being prepared, and prepare fails saying the
     * launcher was closed; no {@code ssh} is left here.
     */
    @Test
    void closeDuringASlowPrepare_returnsPromptly_endsTheConnection_andPrepareFails(@TempDir Path own) throws Exception {
        Path bin = Files.createDirectories(own.resolve("slow-bin"));
        Path probed = own.resolve("probed");
        Path slowJava = Files.writeString(bin.resolve("java"), "#!/bin/sh\ntouch " + probed + "\nexec sleep 60\n");
        Files.setPosixFilePermissions(slowJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (SshHosts slow = SshHosts.in(own).host("slow", List.of(bin)).start()) {
            HostsLauncher launcher = slow.launcher("java", notices::add, "slow:1");
            CompletableFuture<Void> start = CompletableFuture.runAsync(
                    () -> SshPools.builder(launcher, 1, notices::add).start().close());
            await().atMost(WAIT).until(() -> Files.exists(probed));

            assertTimeoutPreemptively(Duration.ofSeconds(10), launcher::close, "close() waits on nothing prepare holds");

            ExecutionException failed = assertThrows(ExecutionException.class, () -> start.get(10, TimeUnit.SECONDS));
            assertTrue(failed.getCause().getMessage().contains("launcher was closed"), failed.getCause().getMessage());
            await().atMost(Duration.ofSeconds(5)).until(() -> slow.sshClients().isEmpty());
        }
    }

    /** {@code local} beside an SSH host: workers here without SSH and there, one pool, the same result. */
    @Test
    void localBesideAnSshHost_workersOnBoth_resultIsIdentical() throws Exception {
        try (HostsLauncher launcher = hosts.launcher(notices::add, "local:1", "alpha:1");
                ProcessPool pool = SshPools.builder(launcher, 2, notices::add).start()) {
            JobResult<Double> result = pool.run(new SqrtJob(), 1_000_000, 4);

            assertEquals(Double.doubleToRawLongBits(SshPools.threadsSqrt(1_000_000, 4)),
                    Double.doubleToRawLongBits(result.value()));
            assertEquals(List.of("alpha", "localhost"),
                    pool.workerInfo().stream().map(WorkerInfo::host).sorted().toList());
        }
        assertEquals(List.of(), List.copyOf(notices));
    }

    /** Every host lost mid-run: no worker can start again, so the run fails at once, saying so, not waits forever. */
    @Test
    void everyHostLostMidRun_theRunFailsPromptly_sayingNoWorkerCanStart(@TempDir Path own) throws Exception {
        try (SshHosts one = SshHosts.in(own).host("gamma").start();
                HostsLauncher launcher = one.launcher(notices::add, "gamma:1");
                ProcessPool pool = SshPools.builder(launcher, 1, notices::add).start()) {
            CompletableFuture<JobResult<Double>> run = sqrtUnderWay(pool, 4);

            one.host("gamma").stop();

            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> run.get(WAIT.toSeconds(), TimeUnit.SECONDS), () -> "notices: " + notices);
            assertTrue(notices.stream().anyMatch(notice -> notice.contains("no worker can be started")),
                    failed.getCause() + "; notices: " + notices);
        }
    }

    /** Workers recycled after each task on hosts with no spare slot: each replacement starts once its slot is free. */
    @Test
    void maxTasksPerWorker_withEverySlotTaken_workersAreRecycled_resultIsIdentical() throws Exception {
        try (HostsLauncher launcher = hosts.launcher(notices::add, "alpha:1", "beta:1");
                ProcessPool pool = SshPools.builder(launcher, 2, notices::add).maxTasksPerWorker(1).start()) {
            JobResult<Double> result = pool.run(new SqrtJob(), 1_000_000, 6);

            assertEquals(Double.doubleToRawLongBits(SshPools.threadsSqrt(1_000_000, 6)),
                    Double.doubleToRawLongBits(result.value()));
        }
    }

    /** Starts the sqrt job in the background, {@code window} tasks per worker, and returns once it computes. */
    private static CompletableFuture<JobResult<Double>> sqrtUnderWay(ProcessPool pool, int window) throws Exception {
        CountDownLatch midRun = new CountDownLatch(1);
        CompletableFuture<JobResult<Double>> run = SshPools.sqrtInBackground(pool, SIZE, TASKS, window, midRun);
        assertTrue(midRun.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the run did not get going");
        return run;
    }

    /** The run's result, once it ends; if it does not end in time, a failure that says what the pool went through. */
    private JobResult<Double> finish(CompletableFuture<JobResult<Double>> run, ProcessPool pool) throws Exception {
        try {
            return run.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the run did not end within " + WAIT.toSeconds() + " s; workers "
                    + pool.workerInfo() + ", notices " + notices, e);
        }
    }

    private void runSmallSqrtOn(String entry) throws Exception {
        try (HostsLauncher launcher = hosts.launcher(notices::add, entry);
                ProcessPool pool = SshPools.builder(launcher, 1, notices::add).start()) {
            JobResult<Double> result = pool.run(new SqrtJob(), 1_000_000, 4);
            assertEquals(Double.doubleToRawLongBits(SshPools.threadsSqrt(1_000_000, 4)),
                    Double.doubleToRawLongBits(result.value()));
        }
    }

    /** The worker now running on {@code host}; there must be one. */
    private WorkerInfo workerOn(ProcessPool pool, String host) {
        return pool.workerInfo().stream().filter(worker -> worker.host().equals(host)).findFirst()
                .orElseThrow(() -> new AssertionError("no worker on " + host + ": " + pool.workerInfo() + "; notices: "
                        + notices));
    }

    /** The {@code ssh} client here of the one worker's session to {@code host}. */
    private static ProcessHandle workerSessionOf(String host) {
        List<ProcessHandle> sessions = hosts.sshClients().stream()
                .filter(process -> {
                    List<String> arguments = Arrays.asList(process.info().arguments().orElse(new String[0]));
                    return arguments.contains("ControlMaster=no") && arguments.contains(host)
                            && arguments.stream().anyMatch(argument -> argument.contains("procpool-worker"));
                })
                .toList();
        assertEquals(1, sessions.size(), "worker sessions to " + host + ": " + sessions);
        return sessions.get(0);
    }

    /** The master {@code ssh} of the connection to {@code host}. */
    private static ProcessHandle masterOf(String host) {
        List<ProcessHandle> masters = hosts.sshClients().stream()
                .filter(process -> {
                    List<String> arguments = Arrays.asList(process.info().arguments().orElse(new String[0]));
                    return arguments.contains("ControlMaster=yes") && arguments.contains(host);
                })
                .toList();
        assertEquals(1, masters.size(), "masters of the connection to " + host + ": " + masters);
        return masters.get(0);
    }

    /** The processes the host's commands run: each command's own, and its children (a worker's babysitting shell's). */
    private static Set<Long> pidsStartedBy(SshServerFixture host) {
        return host.startedProcesses().stream()
                .flatMap(process -> Stream.concat(Stream.of(process), process.children()))
                .map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /** The commands that wrote a file into the cache. */
    private static List<String> copies(List<String> commands) {
        return commands.stream().filter(command -> command.contains("cat > '")).toList();
    }

    private static Map<Path, FileTime> filesIn(Path directory) throws IOException {
        Map<Path, FileTime> files = new TreeMap<>();
        if (Files.isDirectory(directory)) {
            try (Stream<Path> walk = Files.walk(directory)) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    files.put(file, Files.getLastModifiedTime(file));
                }
            }
        }
        return files;
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (Files.exists(directory)) {
            try (Stream<Path> walk = Files.walk(directory)) {
                for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            digest.update(in.readAllBytes());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
