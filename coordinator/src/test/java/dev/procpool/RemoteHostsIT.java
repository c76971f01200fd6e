package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.procpool.testing.RequiresSshClient;
import dev.procpool.testing.SshClientConfig;
import dev.procpool.testing.SshServerFixture;
import java.io.IOException;
import dev.procpool.testing.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executable jar with {@code --hosts}: worker processes on two SSH hosts (embedded servers on this machine, reached
 * by the system's {@code ssh}), the same bits as every other mode, and where the workers ran in the report.
 */
@ExtendWith(RequiresSshClient.class)
@Timeout(180)
class RemoteHostsIT {

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    static Path directory;
    private static SshServerFixture first;
    private static SshServerFixture second;
    private static Path config;

    private static final Duration LIMIT = Duration.ofMinutes(2);
    private Command.Outcome outcome;

    @BeforeAll
    static void startHosts() throws IOException {
        first = SshServerFixture.start();
        second = SshServerFixture.start();
        config = SshClientConfig.write(directory.resolve("ssh.conf"), Map.of("alpha", first, "beta", second));
    }

    @AfterAll
    static void stopHosts() throws IOException {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    /** Runs the coordinator jar with these arguments; returns its exit code, its output in {@link #outcome}. */
    private int run(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("-jar",
                Command.root().resolve("coordinator/target/procpool-coordinator.jar").toString()));
        command.addAll(List.of(args));
        outcome = Command.run(LIMIT, JAVA, command);
        return outcome.exitCode();
    }

    private String out() {
        return outcome.stdout();
    }

    private String err() {
        return outcome.stderr();
    }

    private List<String> hostArguments(String hosts) {
        return List.of("--hosts=" + hosts, "--ssh-arg=-F", "--ssh-arg=" + config, "--remote-java=" + JAVA);
    }

    @Test
    void compareOnTwoHosts_everyResultMatches_andTheTableSaysWhereTheWorkersRan() throws IOException {
        List<String> args = new ArrayList<>(hostArguments("alpha:1,beta:1"));
        args.add("--size=2e6");

        int code = run(args.toArray(String[]::new));

        assertEquals(0, code, err());
        assertTrue(out().contains("all 4 results match"), out());
        String placement = out().lines().filter(line -> line.strip().startsWith("on ")).findFirst()
                .orElseThrow(() -> new AssertionError("no placement line in " + out()));
        assertTrue(placement.contains("alpha x1 (launch ") && placement.contains("beta x1 (launch "), placement);
        assertTrue(err().contains("procpool: workers run on the hosts alpha (1), beta (1)"), err());
    }

    @Test
    void json_saysWhereEachWorkerRan() throws IOException {
        List<String> args = new ArrayList<>(hostArguments("alpha:2"));
        args.addAll(List.of("--size=1e6", "--mode=processes", "--json"));

        int code = run(args.toArray(String[]::new));

        assertEquals(0, code, err());
        JsonObject processes = JsonParser.parseString(out().lines().findFirst().orElseThrow())
                .getAsJsonObject();
        JsonObject host = processes.getAsJsonArray("workersOn").get(0).getAsJsonObject();
        assertEquals("alpha", host.get("host").getAsString());
        assertEquals(2, host.get("workers").getAsInt());
        assertTrue(host.get("launchSeconds").getAsDouble() > 0);
        assertTrue(processes.get("cpuSeconds").getAsDouble() > 0, "the remote workers' CPU, as they reported it");
        assertFalse(processes.has("peakThreads"), "threads elsewhere are not counted");
    }

    @Test
    void moreWorkersThanTheHostsHold_failsInOneLine() throws IOException {
        List<String> args = new ArrayList<>(hostArguments("alpha:1"));
        args.addAll(List.of("--workers=3", "--mode=processes"));

        int code = run(args.toArray(String[]::new));

        assertEquals(1, code);
        List<String> lines = err().lines().filter(line -> !line.contains("workers run on")).toList();
        assertEquals(1, lines.size(), err());
        assertTrue(lines.get(0).contains("--workers asks for 3 worker processes, but there is room for 1 on host "
                + "alpha (1)"), lines.get(0));
    }

    @Test
    void noHostReachable_failsInOneLineNamingIt() throws IOException {
        List<String> args = new ArrayList<>(List.of("--hosts=nowhere.invalid:1", "--ssh-arg=-F",
                "--ssh-arg=" + config, "--remote-java=" + JAVA, "--mode=processes"));

        int code = run(args.toArray(String[]::new));

        assertEquals(1, code);
        String last = err().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("procpool: cannot start workers on --hosts: ") && last.contains("nowhere.invalid"),
                err());
        assertFalse(err().contains("\tat "), "no stack trace");
    }
}
