package dev.procpool.spi;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SlurmStep}'s kill, with a shell standing in for {@code srun}: SIGTERM first, SIGKILL as the last resort, and
 * never the stand-in's own children (as {@code srun}'s is the one that ends the step when {@code srun} dies).
 */
@Timeout(30)
class SlurmStepTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void kill_sendsSigterm_whichEndsAnSrunThatHandlesIt() throws Exception {
        Process srun = start("trap 'exit 42' TERM; echo ready; while :; do sleep 0.05; done");
        SlurmStep step = new SlurmStep(srun);

        step.kill();

        assertEquals(42, step.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS), "its own exit on SIGTERM");
    }

    @Test
    void kill_ofAnSrunThatIgnoresSigterm_returnsAtOnce_andSigkillsItLater() throws Exception {
        Process srun = start("trap '' TERM; echo ready; while :; do sleep 0.05; done");
        SlurmStep step = new SlurmStep(srun);
        long start = System.nanoTime();

        step.kill();

        assertTrue(System.nanoTime() - start < Duration.ofMillis(500).toNanos(), "kill() waited");
        assertTrue(srun.isAlive(), "SIGTERM is ignored: only the later SIGKILL ends it");
        await().atMost(WAIT).until(() -> !srun.isAlive());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(SlurmStep.FORCE_AFTER_MILLIS).toNanos(),
                "SIGKILLed before its time");
    }

    @Test
    void kill_leavesTheChildrenOfSrunAlone() throws Exception {
        Process srun = start("sleep 60 & echo ready; wait");
        ProcessHandle child = srun.descendants().findFirst().orElseThrow(() -> new AssertionError("no child"));
        SlurmStep step = new SlurmStep(srun);
        try {
            step.recordDescendants();

            step.kill();

            step.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(Processes.running(child), "the child of srun was killed with it");
        } finally {
            child.destroyForcibly();
        }
    }

    /** Starts {@code sh -c script} and waits until it printed its first line (its traps and children are set up). */
    private static Process start(String script) throws IOException {
        Process process = new ProcessBuilder(List.of("sh", "-c", script)).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] line = new byte[6];
        int read = process.getInputStream().readNBytes(line, 0, line.length);
        assertEquals("ready\n", new String(line, 0, read, StandardCharsets.US_ASCII));
        return process;
    }
}
