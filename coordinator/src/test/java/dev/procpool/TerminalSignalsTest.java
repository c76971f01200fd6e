package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.jobs.SqrtJob;
import dev.procpool.testing.TestPools;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A terminal's signals (Ctrl-C, Ctrl-\, a hang-up) reach the coordinator's whole process group, where the small
 * processes that local workers run under sit: they must not end the workers of an application that handles them.
 */
@Timeout(120)
class TerminalSignalsTest {

    @ParameterizedTest
    @ValueSource(strings = {"INT", "QUIT", "HUP"})
    void terminalSignalToWhatWorkersRunUnder_leavesTheWorkersRunning(String signal) throws Exception {
        try (ProcessPool pool = TestPools.builder(2).start()) {
            List<Long> workers = pool.workerPids();
            List<Long> parents = new ArrayList<>();
            for (long pid : workers) {
                ProcessHandle.of(pid).flatMap(ProcessHandle::parent).ifPresent(parent -> parents.add(parent.pid()));
            }
            assertEquals(workers.size(), parents.size(), "each worker has a parent");
            for (long parent : parents) {
                Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(parent)).inheritIO().start();
                assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
            }

            Object sum = pool.run(new SqrtJob(), 100_000, 8).value();

            assertEquals(new SqrtJob().name(), pool.run(new SqrtJob(), 1, 1).job());
            assertTrue(sum instanceof Double);
            assertEquals(workers, pool.workerPids(), "the same workers, none lost to the signal");
            for (long parent : parents) {
                assertTrue(ProcessHandle.of(parent).map(ProcessHandle::isAlive).orElse(false),
                        "what worker runs under is still there: " + parent);
            }
        }
    }
}
