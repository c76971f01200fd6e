package dev.procpool.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.protocol.Protocol;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The worker's side of the channel under fuzz: random bytes, some behind a valid magic and length, on stdin.
 * The worker must halt, with a protocol error for malformed input, within bounded time.
 */
@Timeout(120)
class WorkerFuzzTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());


    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13})
    void garbageOnStdin_workerHalts(long seed) throws Exception {
        Random random = new Random(seed);
        int protocolErrors = 0;
        for (int i = 0; i < 300; i++) {
            byte[] input = new byte[8 + random.nextInt(512)];
            random.nextBytes(input);
            if (i % 2 == 0) {
                ByteBuffer.wrap(input).putInt(0, Protocol.FRAME_MAGIC)
                        .putInt(4, i % 4 == 0 ? Integer.MAX_VALUE : random.nextInt(input.length));
            }
            CompletableFuture<Integer> halted = new CompletableFuture<>();
            Worker worker = new Worker(new ByteArrayInputStream(input), new ByteArrayOutputStream(),
                    Protocol.DEFAULT_MAX_FRAME_BYTES, halted::complete, QUIET);
            Thread serving = new Thread(worker::run, "fuzzed-worker-" + i);
            serving.setDaemon(true);
            serving.start();

            int status = halted.get(10, TimeUnit.SECONDS);

            assertTrue(status == WorkerExit.PROTOCOL_ERROR || status == WorkerExit.OK, "status " + status);
            protocolErrors += status == WorkerExit.PROTOCOL_ERROR ? 1 : 0;
        }
        assertTrue(protocolErrors > 250, "most inputs are malformed: " + protocolErrors);
    }
}
