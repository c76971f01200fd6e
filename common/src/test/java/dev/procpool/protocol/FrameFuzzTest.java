package dev.procpool.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.procpool.job.Range;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Thousands of random and mutated frames, from fixed seeds, through the decoder both ends use. Each stream must
 * end in valid messages, a clean end, or a {@link ProtocolException}: never another exception, never a hang, and
 * never an {@link OutOfMemoryError} (this module's tests run with a small heap, so an allocation sized by a
 * hostile length would show).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FrameFuzzTest {

    private static final int CASES_PER_SEED = 2_500;
    private static final int MAX_FRAME = Protocol.DEFAULT_MAX_FRAME_BYTES;

    private final WireFormat format = WireFormat.forCoordinator();

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42})
    void mutatedAndRandomStreams_endInAProtocolErrorOrValidMessages(long seed) throws Exception {
        Random random = new Random(seed);
        List<byte[]> valid = validFrames(random);
        int protocolErrors = 0;
        for (int i = 0; i < CASES_PER_SEED; i++) {
            byte[] stream = switch (i % 5) {
                case 0 -> flipBytes(random, pick(random, valid));
                case 1 -> truncate(random, pick(random, valid));
                case 2 -> withLength(random, pick(random, valid));
                case 3 -> splice(random, pick(random, valid), pick(random, valid));
                default -> randomBytes(random);
            };
            protocolErrors += decodeAll(stream, seed, i) ? 1 : 0;
        }
        assertTrue(protocolErrors > CASES_PER_SEED / 2, "most cases are malformed: " + protocolErrors);
    }

    /** Decodes until the end; returns whether it ended in a protocol error. */
    private boolean decodeAll(byte[] stream, long seed, int index) {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(stream), format, MAX_FRAME);
        try {
            for (int frames = 0; frames < 100; frames++) {
                if (reader.read() == null) {
                    return false;
                }
            }
            return fail("seed " + seed + " case " + index + ": a finite stream yielded 100 frames");
        } catch (ProtocolException expected) {
            return true;
        } catch (IOException | RuntimeException | Error e) {
            return fail("seed " + seed + " case " + index + " threw " + e + " instead of a ProtocolException", e);
        }
    }

    private List<byte[]> validFrames(Random random) throws Exception {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            long a = random.nextInt(1_000_000);
            messages.add(TaskBatch.of(random.nextLong() & Long.MAX_VALUE, 1L, new Range(a, a + random.nextInt(1000))));
            messages.add(TaskBatch.of(i, 2L, new long[random.nextInt(20)]));
            messages.add(TaskBatch.of(i, 3L, "text " + random.nextInt()));
            long[] ids = ids(random);
            Object[] tasks = new Object[ids.length];
            Object[] values = new Object[ids.length];
            for (int j = 0; j < ids.length; j++) {
                tasks[j] = new Range(a + j, a + j + random.nextInt(1000));
                values[j] = random.nextBoolean() ? random.nextDouble() : new long[random.nextInt(4)];
            }
            messages.add(new TaskBatch(1L, ids, tasks));
            messages.add(new ResultBatch(ids, values, random.nextLong() & Long.MAX_VALUE));
            messages.add(ResultBatch.of(i, random.nextDouble(), random.nextInt(1_000_000)));
            messages.add(ResultBatch.of(i, new byte[random.nextInt(64)], 0));
            messages.add(TaskFailure.threw(i, RemoteError.of(new IllegalStateException("boom " + i,
                    new IllegalArgumentException("cause")))));
        }
        messages.add(Shutdown.INSTANCE);
        List<byte[]> frames = new ArrayList<>();
        for (Message message : messages) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            FrameWriter writer = new FrameWriter(bytes, format, MAX_FRAME);
            writer.write(message);
            writer.flush();
            frames.add(bytes.toByteArray());
        }
        return frames;
    }

    /** Up to 8 ids: consecutive as the coordinator sends them, or arbitrary so that deltas go both ways. */
    private static long[] ids(Random random) {
        long[] ids = new long[random.nextInt(9)];
        long next = random.nextInt(1 << 20);
        boolean consecutive = random.nextBoolean();
        for (int i = 0; i < ids.length; i++) {
            ids[i] = consecutive ? next++ : random.nextLong();
        }
        return ids;
    }

    private static byte[] pick(Random random, List<byte[]> frames) {
        return frames.get(random.nextInt(frames.size())).clone();
    }

    private static byte[] flipBytes(Random random, byte[] frame) {
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips; i++) {
            // Mostly the payload: the header is checked first, so payload damage reaches the decoder.
            int at = 8 + random.nextInt(Math.max(1, frame.length - 8));
            if (at < frame.length) {
                frame[at] = (byte) random.nextInt(256);
            }
        }
        return frame;
    }

    private static byte[] truncate(Random random, byte[] frame) {
        byte[] cut = new byte[random.nextInt(frame.length)];
        System.arraycopy(frame, 0, cut, 0, cut.length);
        return cut;
    }

    /** Keeps the payload but declares another length: shorter cuts the payload, longer runs past its end. */
    private static byte[] withLength(Random random, byte[] frame) {
        int declared = switch (random.nextInt(4)) {
            case 0 -> random.nextInt(frame.length);
            case 1 -> frame.length + random.nextInt(1 << 20);
            case 2 -> MAX_FRAME;
            default -> random.nextInt();
        };
        ByteBuffer.wrap(frame).putInt(4, declared);
        return frame;
    }

    private static byte[] splice(Random random, byte[] first, byte[] second) {
        int cut = random.nextInt(first.length);
        byte[] joined = new byte[cut + second.length];
        System.arraycopy(first, 0, joined, 0, cut);
        System.arraycopy(second, 0, joined, cut, second.length);
        return joined;
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(256)];
        random.nextBytes(bytes);
        if (bytes.length >= 8 && random.nextBoolean()) {
            // A valid magic, so the rest reaches the length check and the decoder.
            ByteBuffer.wrap(bytes).putInt(0, Protocol.FRAME_MAGIC).putInt(4, random.nextInt(bytes.length));
        }
        return bytes;
    }
}
