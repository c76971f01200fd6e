package dev.procpool;

import static dev.procpool.testing.Processes.signal;
import static dev.procpool.testing.Processes.state;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.CoordinatorJvm;
import dev.procpool.testing.Processes;
import dev.procpool.testing.RequiresSshClient;
import dev.procpool.testing.SshCoordinator;
import dev.procpool.testing.SshHosts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator in a JVM of its own ({@link SshCoordinator}) whose workers run over SSH on two hosts: its SIGKILL
 * mid-run leaves nothing behind within 5 s, neither a worker on a host nor an {@code ssh} client here, even when a
 * worker is stopped (SIGSTOP) and so cannot read the end of its stdin.
 */
@ExtendWith(RequiresSshClient.class)
@Timeout(120)
class SshCoordinatorIT {

    /** A run that lasts far longer than any test: it is killed mid-way. */
    private static final long ENDLESS_SIZE = 1L << 50;
    private static final Duration GONE_WITHIN = Duration.ofSeconds(5);

    @TempDir
    static Path directory;
    private static SshHosts hosts;

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
    void coordinatorSigkilledMidRun_noWorkerOnAnyHostAndNoSshClientIsLeftWithinFiveSeconds() throws Exception {
        CoordinatorJvm run = coordinator(2);
        try {
            List<ProcessHandle> workers = awaitWorkers(run, 4);
            assertEquals(Set.of("alpha", "beta"), run.workerHosts(), run.toString());
            await().atMost(Duration.ofSeconds(30)).until(() -> CoordinatorJvm.cpuMillis(workers) > 2_000);
            List<ProcessHandle> everything = new ArrayList<>(workers);
            everything.addAll(hosts.remoteProcesses());
            everything.addAll(hosts.sshClients());
            assertTrue(hosts.sshClients().size() >= 6, "two masters and four workers' sessions: " + hosts.sshClients());

            run.process().toHandle().destroyForcibly();

            await().atMost(GONE_WITHIN).until(() -> everything.stream().noneMatch(Processes::running)
                    && hosts.remoteProcesses().stream().noneMatch(Processes::running) && hosts.sshClients().isEmpty());
        } finally {
            run.destroy();
        }
    }

    @Test
    void remoteWorkerStopped_coordinatorSigkilled_theWorkerAndEverySshClientAreGoneWithinFiveSeconds()
            throws Exception {
        CoordinatorJvm run = coordinator(1);
        List<ProcessHandle> everything = new ArrayList<>();
        try {
            List<ProcessHandle> workers = awaitWorkers(run, 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> CoordinatorJvm.cpuMillis(workers) > 1_000);
            // The hosts' servers run their commands here, so a remote worker is a process of this machine.
            ProcessHandle stopped = workers.getFirst();
            signal("STOP", stopped.pid());
            await().atMost(Duration.ofSeconds(5)).until(() -> state(stopped.pid()) == 'T');
            everything.addAll(workers);
            hosts.remoteProcesses().forEach(process -> {
                everything.add(process);
                process.descendants().forEach(everything::add);
            });
            everything.addAll(hosts.sshClients());
            assertTrue(hosts.sshClients().size() >= 4, "two masters and two workers' sessions: " + hosts.sshClients());

            run.process().toHandle().destroyForcibly();

            await("the stopped worker, every process the hosts ran and every ssh client gone").atMost(GONE_WITHIN)
                    .until(() -> everything.stream().noneMatch(Processes::running) && hosts.sshClients().isEmpty());
        } finally {
            run.destroy();
            everything.forEach(ProcessHandle::destroyForcibly); // a failed run leaves no stopped worker behind
        }
    }

    /**
     * A stopped {@code ssh} here (the master of a host's connection) would not act on SIGTERM: the local {@code ssh}
     * clients are tied to the coordinator with SIGKILL, which ends them stopped or not, and with them the host's
     * sessions, so its babysitter ends the workers there.
     */
    @Test
    void sshMasterStopped_coordinatorSigkilled_everySshClientAndWorkerIsGoneWithinFiveSeconds() throws Exception {
        CoordinatorJvm run = coordinator(1);
        List<ProcessHandle> everything = new ArrayList<>();
        try {
            List<ProcessHandle> workers = awaitWorkers(run, 2);
            List<ProcessHandle> masters = hosts.sshClients().stream().filter(client -> List.of(
                    client.info().arguments().orElse(new String[0])).contains("ControlMaster=yes")).toList();
            assertEquals(2, masters.size(), "a master per host: " + hosts.sshClients());
            everything.addAll(workers);
            everything.addAll(hosts.remoteProcesses());
            everything.addAll(hosts.sshClients());
            signal("STOP", masters.getFirst().pid());
            await().atMost(Duration.ofSeconds(5)).until(() -> state(masters.getFirst().pid()) == 'T');

            run.process().toHandle().destroyForcibly();

            await("every ssh client, stopped or not, and every process the hosts ran gone").atMost(GONE_WITHIN)
                    .until(() -> everything.stream().noneMatch(Processes::running) && hosts.sshClients().isEmpty());
        } finally {
            run.destroy();
            everything.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** A coordinator of a run that lasts far longer than any test, with {@code perHost} workers on each host. */
    private static CoordinatorJvm coordinator(int perHost) throws IOException {
        return CoordinatorJvm.start(List.of(), SshCoordinator.class, List.of(hosts.config().toString(),
                SshHosts.remoteJava(), Long.toString(ENDLESS_SIZE), "64", "alpha:" + perHost, "beta:" + perHost));
    }

    /** The run's {@code count} worker processes, once all are alive. */
    private static List<ProcessHandle> awaitWorkers(CoordinatorJvm run, int count) {
        await().atMost(Duration.ofSeconds(60)).until(() -> run.workerPids().size() == count || !run.process().isAlive());
        List<ProcessHandle> workers = run.workers();
        assertEquals(count, workers.size(), count + " workers alive: " + run);
        return workers;
    }
}
