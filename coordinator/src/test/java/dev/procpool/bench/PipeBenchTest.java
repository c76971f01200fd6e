package dev.procpool.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.ProcPoolException;
import dev.procpool.internal.WorkerJvm;
import dev.procpool.protocol.Protocol;
import dev.procpool.spi.WorkerCommand;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The yardsticks against real JVMs: the worker's own echo and bare modes from the test class path, a file that is
 * not a jar, and {@link FakeYardstick}s that die or hang. Each failure is one line saying what happened.
 */
@Timeout(120)
class PipeBenchTest {

    private static final String JAVA = WorkerJvm.currentJava().toString();
    private static final String CLASSPATH = System.getProperty("java.class.path");

    @TempDir
    Path directory;

    private static List<String> worker(String mode) {
        List<String> command = new ArrayList<>(List.of(JAVA));
        command.addAll(WorkerJvm.BASE_FLAGS);
        command.addAll(List.of("-cp", CLASSPATH, Protocol.WORKER_MAIN_CLASS, mode));
        return command;
    }

    private static PipeBench fake(Duration limit, String... echoArguments) {
        List<String> echo = new ArrayList<>(List.of(JAVA, "-cp", CLASSPATH, FakeYardstick.class.getName()));
        echo.addAll(List.of(echoArguments));
        return new PipeBench(echo, worker("--bare"), limit, "(what to do)");
    }

    private static void assertOneLine(ProcPoolException thrown, String... parts) {
        String message = thrown.getMessage();
        assertFalse(message.contains("\n"), "one line: " + message);
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + part + "' missing from: " + message);
        }
    }

    @Test
    void realEchoAndBareJvm_measurePositiveFigures() throws InterruptedException {
        PipeBench pipe = new PipeBench(worker("--echo"), worker("--bare"), PipeBench.LIMIT, "(what to do)");

        assertTrue(pipe.pingPong(2).min() > 0);
        assertTrue(pipe.pipelined(1, 1).min() > 0);
        assertTrue(pipe.bareStart() > 0);
    }

    @Test
    void notAJar_pingPongAndBareStart_failWithTheStatusStderrCommandAndAdvice() throws IOException {
        Path notAJar = Files.writeString(directory.resolve("hostname"), "not a jar\n");
        PipeBench pipe = PipeBench.of(new WorkerCommand(0, JAVA, WorkerJvm.BASE_FLAGS, List.of(notAJar),
                Protocol.WORKER_MAIN_CLASS, List.of()), notAJar);

        assertOneLine(assertThrows(ProcPoolException.class, () -> pipe.pingPong(1)),
                "the echo JVM (pid ", "ended its output in the middle of a ping-pong", "exited with status 1",
                "Could not find or load main class " + Protocol.WORKER_MAIN_CLASS, notAJar + " " + Protocol.WORKER_MAIN_CLASS
                        + " --echo", "--worker-jar");
        assertOneLine(assertThrows(ProcPoolException.class, pipe::bareStart),
                "the bare JVM (pid ", "ended its output without writing a byte", "exited with status 1",
                "Could not find or load main class", "--worker-jar");
    }

    @Test
    void echoFailsAtOnce_itsLastStderrLinesAreQuoted() {
        PipeBench pipe = fake(PipeBench.LIMIT, "fail");

        assertOneLine(assertThrows(ProcPoolException.class, () -> pipe.pingPong(1)),
                "exited with status 3", "its last stderr lines: fake: first line | fake: cannot go on", "(what to do)");
    }

    @Test
    void echoDiesInAPingPong_failsSayingSo() {
        PipeBench pipe = fake(PipeBench.LIMIT, "echo-then-exit", "80");

        assertOneLine(assertThrows(ProcPoolException.class, () -> pipe.pingPong(1)),
                "ended its output in the middle of a ping-pong", "exited with status 0", "wrote nothing to stderr");
    }

    @Test
    void echoDiesMidRound_pipelinedFailsWithTheShortCount_insteadOfAFasterRate() {
        PipeBench pipe = fake(PipeBench.LIMIT, "echo-then-exit", "1000");

        assertOneLine(assertThrows(ProcPoolException.class, () -> pipe.pipelined(1, 1)),
                "the echo JVM (pid ", "echoed 1000 of the " + PipeBench.ROUND_BYTES + " bytes of a round",
                "exited with status 0");
    }

    @Test
    void echoNeverAnswers_isKilledAtTheLimit_inAPingPongAndInAPipelinedRound() {
        PipeBench pipe = fake(Duration.ofMillis(300), "hang");

        assertOneLine(assertThrows(ProcPoolException.class, () -> pipe.pingPong(1)),
                "ended its output in the middle of a ping-pong", "killed at the time limit of 300 ms");
        assertOneLine(assertThrows(ProcPoolException.class, () -> pipe.pipelined(2, 1)),
                "echoed 0 of the " + PipeBench.ROUND_BYTES + " bytes of a round", "killed at the time limit of 300 ms");
    }

    @Test
    void receive_returnsHowManyBytesArrived_andShortfallRejectsAShortRound() {
        assertEquals(16, PipeBench.receive(new ByteArrayInputStream(new byte[16])));

        CompletableFuture<Void> sent = CompletableFuture.completedFuture(null);
        assertEquals("echoed 16 of the " + PipeBench.ROUND_BYTES + " bytes of a round",
                PipeBench.shortfall(sent, CompletableFuture.completedFuture(16)));
        assertNull(PipeBench.shortfall(sent, CompletableFuture.completedFuture(PipeBench.ROUND_BYTES)));
        assertEquals("did not finish a round of " + PipeBench.ROUND_BYTES + " bytes",
                PipeBench.shortfall(sent, new CompletableFuture<>()));
    }
}
