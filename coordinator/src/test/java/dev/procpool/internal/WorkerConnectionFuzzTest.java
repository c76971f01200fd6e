package dev.procpool.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.WorkerOutput;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.Protocol;
import dev.procpool.protocol.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The coordinator's side of the channel under fuzz: a fake worker process completes a valid handshake, then
 * writes random bytes or a frame with a hostile length. The worker's reader must report the end within bounded
 * time, with a protocol error as the reason where the bytes were malformed, and kill the process.
 */
@Timeout(120)
class WorkerConnectionFuzzTest {

    private final WireFormat format = WireFormat.forCoordinator();

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 8, 9})
    void garbageAfterTheHandshake_readerReportsTheEndAndKillsTheWorker(long seed) throws Exception {
        Random random = new Random(seed);
        for (int i = 0; i < 300; i++) {
            byte[] garbage = new byte[1 + random.nextInt(512)];
            random.nextBytes(garbage);
            if (i % 2 == 0) {
                // A valid magic, so the length check and the decoder see the rest.
                garbage = concat(intBytes(Protocol.FRAME_MAGIC), intBytes(i % 4 == 0 ? Integer.MAX_VALUE : 64), garbage);
            }
            FakeWorker process = FakeWorker.exited(concat(handshake(), garbage));
            Events events = new Events();

            WorkerConnection.open(1, process, Protocol.DEFAULT_MAX_FRAME_BYTES, format, WorkerOutput.discard(), events, Ticker.system());

            WorkerEnd end = events.end.get(10, TimeUnit.SECONDS);
            assertNotNull(end);
            assertTrue(events.ready, "the handshake was valid");
            if (end.reason().startsWith("had garbage on its protocol stream")) {
                assertTrue(process.killed(), "a worker with garbage on its protocol stream is killed");
            } else {
                assertFalse(end.reason().isBlank());
            }
        }
    }

    private byte[] handshake() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(Protocol.HANDSHAKE_MAGIC);
        out.writeInt(Protocol.VERSION);
        out.writeLong(format.fingerprint());
        out.writeLong(4242);
        out.writeShort(0); // no host name
        return bytes.toByteArray();
    }

    private static byte[] intBytes(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            joined.writeBytes(part);
        }
        return joined.toByteArray();
    }

    private static final class Events implements WorkerEvents {
        volatile boolean ready;
        final CompletableFuture<WorkerEnd> end = new CompletableFuture<>();

        @Override
        public void ready(WorkerConnection worker) {
            ready = true;
        }

        @Override
        public void message(WorkerConnection worker, Message message) {
            // Random bytes that happen to decode are fine; the test is about how the stream ends.
        }

        @Override
        public void notice(String message) {
        }

        @Override
        public void outputEnded(WorkerConnection worker) {
        }

        @Override
        public void ended(WorkerConnection worker, WorkerEnd workerEnd) {
            end.complete(workerEnd);
        }
    }
}
