package dev.procpool.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/**
 * A frame header that something other than the peer wrote to its stream: found as soon as an answer the peer owes
 * arrives inside that frame, and only then.
 */
class ForgedFrameTest {

    /** Forged: the magic, a length of 1,000 bytes, and four of them. */
    private static final byte[] FORGED = ByteBuffer.allocate(12).putInt(Protocol.FRAME_MAGIC).putInt(1_000)
            .put(new byte[] {'a', 'b', 'c', 'd'}).array();

    @Test
    void owedAnswerInsideAnIncompleteFrame_isReportedAtOnce() throws Exception {
        FrameReader reader = new FrameReader(new Chunks(FORGED, Frames.encode(Frames.LIMIT, new Heartbeat(7, 1, 2))),
                Frames.FORMAT, Frames.LIMIT);
        reader.watchForAnswers(() -> 7);

        ProtocolException e = assertThrows(ProtocolException.class, reader::read);

        assertTrue(e.getMessage().startsWith("a frame of 1000 bytes never completed: the answer to heartbeat 7 "
                + "arrived 4 bytes into it"), e.getMessage());
    }

    @Test
    void answerNotOwed_insideAnIncompleteFrame_isNoProof_andTheReaderWaitsOn() throws Exception {
        FrameReader reader = new FrameReader(new Chunks(FORGED, Frames.encode(Frames.LIMIT, new Heartbeat(7, 1, 2))),
                Frames.FORMAT, Frames.LIMIT);
        reader.watchForAnswers(() -> 0);

        IOException e = assertThrows(IOException.class, reader::read);

        assertEquals(Chunks.WOULD_BLOCK, e.getMessage());
    }

    @Test
    void owedAnswerArrivingByteByByte_isReadAsTheFrameItIs() throws Exception {
        byte[] answer = Frames.encode(Frames.LIMIT, new Heartbeat(7, 1, 2));
        byte[][] bytes = new byte[answer.length][];
        for (int i = 0; i < answer.length; i++) {
            bytes[i] = new byte[] {answer[i]};
        }
        FrameReader reader = new FrameReader(new Chunks(bytes), Frames.FORMAT, Frames.LIMIT);
        reader.watchForAnswers(() -> 7);

        assertEquals(new Heartbeat(7, 1, 2), reader.read());
    }

    /** A stream that hands out its chunks one read at a time, then says a pipe would block there. */
    private static final class Chunks extends InputStream {

        static final String WOULD_BLOCK = "a pipe would block here: nothing more was written";

        private final Deque<byte[]> chunks = new ArrayDeque<>();

        Chunks(byte[]... chunks) {
            this.chunks.addAll(Arrays.asList(chunks));
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            byte[] chunk = chunks.poll();
            if (chunk == null) {
                throw new IOException(WOULD_BLOCK);
            }
            int count = Math.min(length, chunk.length);
            System.arraycopy(chunk, 0, into, offset, count);
            if (count < chunk.length) {
                chunks.addFirst(Arrays.copyOfRange(chunk, count, chunk.length));
            }
            return count;
        }
    }
}
