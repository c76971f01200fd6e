package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.job.TaskFunction;
import dev.procpool.jobs.SqrtJob;
import dev.procpool.protocol.Protocol;
import dev.procpool.spi.LaunchedWorker;
import dev.procpool.spi.WorkerCommand;
import dev.procpool.spi.WorkerLauncher;
import dev.procpool.testing.TestPools;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Over a launcher whose link carries small messages (as {@code srun}'s does), the pool keeps its task batches and the
 * workers their answer batches within one message each way, and the results are those of threads.
 */
@Timeout(120)
class SmallMessageLinkTest {

    private static final int MESSAGE_BYTES = 1024;

    @Test
    void batchesBothWaysFitTheLinksMessages_andTheResultIsThreads() {
        SmallMessageLauncher link = new SmallMessageLauncher();
        SqrtJob job = new SqrtJob();
        long size = 4_000_000;
        int tasks = 40_000;

        Object processed;
        try (ProcessPool pool = TestPools.builder(2).launcher(link).start()) {
            processed = pool.run(job, size, tasks).value();
        }
        Object threaded;
        try (ThreadRunner threads = new ThreadRunner(2)) {
            threaded = threads.run(job, size, tasks).value();
        }

        assertEquals(threaded, processed);
        assertFramesFit(link);
        assertTrue(link.commands.stream().allMatch(c -> c.arguments().contains("--batch-frame-bytes=" + MESSAGE_BYTES)),
                "every worker is told the budget: " + link.commands);
        assertTrue(link.toWorkers.frames() > tasks / 400, link.toWorkers.frames() + " frames to the workers");
        assertTrue(link.fromWorkers.frames() > tasks / 400, link.fromWorkers.frames() + " frames from the workers");
    }

    /** A task's input, as a string. */
    record Length() implements TaskFunction<String, Integer> {
        @Override
        public Integer apply(String input) {
            return input.length();
        }
    }

    @Test
    void tasksThatOutgrowTheLastBatches_areSplitToFit_andOneTooLargeForAnyFrame_failsAlone() throws Exception {
        SmallMessageLauncher link = new SmallMessageLauncher();
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            inputs.add(i < 2_000 ? "x" : "y".repeat(20 + i % 200)); // tiny tasks, then ones up to 200 times their size
        }
        inputs.add(1_500, "z".repeat(100_000)); // larger than any frame of this pool

        List<CompletableFuture<Integer>> lengths;
        try (ProcessPool pool = TestPools.builder(2).launcher(link).maxFrameBytes(64 * 1024)
                .tasksInFlightPerWorker(4096).start()) {
            lengths = pool.submitAll(new Length(), inputs);
            CompletableFuture.allOf(lengths.toArray(CompletableFuture[]::new)).exceptionally(e -> null)
                    .get(60, TimeUnit.SECONDS);
        }

        for (int i = 0; i < inputs.size(); i++) {
            if (i == 1_500) {
                ExecutionException failed = assertThrows(ExecutionException.class, lengths.get(i)::get);
                assertInstanceOf(FrameTooLargeException.class, failed.getCause());
            } else {
                assertEquals(inputs.get(i).length(), lengths.get(i).get(), "input " + i);
            }
        }
        assertFramesFit(link);
    }

    private static void assertFramesFit(SmallMessageLauncher link) {
        assertEquals(List.of(), link.toWorkers.violations());
        assertEquals(List.of(), link.fromWorkers.violations());
        assertTrue(link.toWorkers.largest() <= MESSAGE_BYTES, "a frame of " + link.toWorkers.largest()
                + " bytes to a worker");
        assertTrue(link.fromWorkers.largest() <= MESSAGE_BYTES, "a frame of " + link.fromWorkers.largest()
                + " bytes from a worker");
    }

    /** The local launcher, declaring a link of small messages, and measuring the frames on each worker's pipes. */
    private static final class SmallMessageLauncher implements WorkerLauncher {

        final List<WorkerCommand> commands = new CopyOnWriteArrayList<>();
        final FrameSizes toWorkers = new FrameSizes();
        final FrameSizes fromWorkers = new FrameSizes();

        @Override
        public int batchFrameBytes() {
            return MESSAGE_BYTES;
        }

        @Override
        public LaunchedWorker launch(WorkerCommand command) throws IOException {
            commands.add(command);
            LaunchedWorker worker = WorkerLauncher.local().launch(command);
            OutputStream stdin = new FilterOutputStream(worker.stdin()) {
                private final FrameSizes.Scanner scanner = toWorkers.scanner();

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    scanner.scan(bytes, offset, length);
                    out.write(bytes, offset, length);
                }

                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }
            };
            InputStream stdout = new FilterInputStream(worker.stdout()) {
                private final FrameSizes.Scanner scanner = fromWorkers.scanner();

                @Override
                public int read(byte[] bytes, int offset, int length) throws IOException {
                    int read = in.read(bytes, offset, length);
                    if (read > 0) {
                        scanner.scan(bytes, offset, read);
                    }
                    return read;
                }

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }
            };
            return new LaunchedWorker() {
                @Override
                public OutputStream stdin() {
                    return stdin;
                }

                @Override
                public InputStream stdout() {
                    return stdout;
                }

                @Override
                public InputStream stderr() {
                    return worker.stderr();
                }

                @Override
                public long pid() {
                    return worker.pid();
                }

                @Override
                public String host() {
                    return worker.host();
                }

                @Override
                public CompletableFuture<Integer> onExit() {
                    return worker.onExit();
                }

                @Override
                public void kill() {
                    worker.kill();
                }

                @Override
                public void recordDescendants() {
                    worker.recordDescendants();
                }
            };
        }
    }

    /** The sizes of the frames that crossed some pipes, handshakes skipped. Thread-safe. */
    private static final class FrameSizes {

        private final List<Integer> sizes = new CopyOnWriteArrayList<>();
        /**
         * What broke the framing; recorded rather than thrown, since the scanners run on the pool's threads, where an
         * error would only cost a worker.
         */
        private final List<String> violations = new CopyOnWriteArrayList<>();

        Scanner scanner() {
            return new Scanner();
        }

        int frames() {
            return sizes.size();
        }

        List<String> violations() {
            return violations;
        }

        int largest() {
            return sizes.stream().mapToInt(Integer::intValue).max().orElse(0);
        }

        /**
         * Follows one stream's frames across reads of any size: a magic, then for a frame its length and payload, for
         * a handshake its fixed fields, a host name's length and the name. One thread at a time.
         */
        final class Scanner {
            private static final int HANDSHAKE_FIXED = Integer.BYTES + Long.BYTES + Long.BYTES + Short.BYTES;

            private final byte[] gathered = new byte[HANDSHAKE_FIXED];
            private int wanted = Integer.BYTES;
            private int filled;
            private long skipping;
            /** What the bytes being gathered are: a magic, a frame's length, or a handshake's fixed fields. */
            private char state = 'm';

            void scan(byte[] bytes, int offset, int length) {
                int at = offset;
                int end = offset + length;
                while (at < end) {
                    if (skipping > 0) {
                        int skipped = (int) Math.min(skipping, end - at);
                        skipping -= skipped;
                        at += skipped;
                        continue;
                    }
                    gathered[filled++] = bytes[at++];
                    if (filled == wanted) {
                        gatheredAll();
                    }
                }
            }

            private void gatheredAll() {
                int value = ((gathered[0] & 0xff) << 24) | ((gathered[1] & 0xff) << 16) | ((gathered[2] & 0xff) << 8)
                        | (gathered[3] & 0xff);
                filled = 0;
                switch (state) {
                    case 'm' -> {
                        if (value != Protocol.FRAME_MAGIC && value != Protocol.HANDSHAKE_MAGIC) {
                            violations.add("no frame starts where the last one ended: " + Integer.toHexString(value));
                        }
                        state = value == Protocol.FRAME_MAGIC ? 'l' : 'h';
                        wanted = state == 'l' ? Integer.BYTES : HANDSHAKE_FIXED;
                    }
                    case 'l' -> {
                        sizes.add(Protocol.FRAME_HEADER_BYTES + value);
                        skipping = value;
                        state = 'm';
                        wanted = Integer.BYTES;
                    }
                    default -> {
                        skipping = ((gathered[HANDSHAKE_FIXED - 2] & 0xff) << 8) | (gathered[HANDSHAKE_FIXED - 1] & 0xff);
                        state = 'm';
                        wanted = Integer.BYTES;
                    }
                }
            }
        }
    }
}
