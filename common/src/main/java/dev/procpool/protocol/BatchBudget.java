package dev.procpool.protocol;

import java.io.IOException;

/**
 * How many answers or tasks the next batch frame may hold so that the frame stays within a byte budget, learned from
 * the frames sent before it. A link that forwards the stream in small messages, and holds each message back until
 * the one before it is acknowledged, stalls for the peer's delayed acknowledgement (tens of milliseconds) whenever
 * a message carries no frame end, because the peer then has nothing to answer with. Frames within one message keep
 * every message answerable. The budget sizes each batch from the frames before it; a batch whose frame still comes out
 * too large is split before it is written (see {@link FrameWriter#writeWithin}). With no budget, batches are bounded
 * by their cap alone.
 *
 * <p>Not thread-safe: one sending thread at a time, with a happens-before between them.
 */
public final class BatchBudget {

    /** Room kept for items larger than the ones measured so far. */
    private static final double MARGIN = 0.85;

    private final int frameBytes;
    /** What an item took in the last frame measured; 0 before the first, which then holds one item. */
    private double bytesPerItem;

    /**
     * @param frameBytes the largest frame, header included, that the link carries in one message; 0 for no budget
     */
    public BatchBudget(int frameBytes) {
        this.frameBytes = checkFrameBytes(frameBytes);
    }

    /**
     * Returns {@code frameBytes} if it can be a budget: 0 (none), or more than a frame's header.
     *
     * @throws IllegalArgumentException saying why not, in one line
     */
    public static int checkFrameBytes(int frameBytes) {
        if (frameBytes < 0 || frameBytes > 0 && frameBytes <= Protocol.FRAME_HEADER_BYTES) {
            throw new IllegalArgumentException("a batch frame budget is 0 (none) or more than "
                    + Protocol.FRAME_HEADER_BYTES + " bytes, was " + frameBytes);
        }
        return frameBytes;
    }

    /** A budget that bounds nothing: batches as large as their cap. */
    public static BatchBudget unlimited() {
        return new BatchBudget(0);
    }

    /** The largest frame a batch may take, header included: what {@link FrameWriter#writeWithin} is given. */
    public int frameLimit() {
        return frameBytes == 0 ? Integer.MAX_VALUE : frameBytes;
    }

    /** Whether this budget bounds batches at all. */
    public boolean limited() {
        return frameBytes > 0;
    }

    /** How many items the next batch may hold: between 1 and {@code cap}. */
    public int items(int cap) {
        if (frameBytes == 0) {
            return cap;
        }
        if (bytesPerItem == 0) {
            return 1;
        }
        double fits = MARGIN * (frameBytes - Protocol.FRAME_HEADER_BYTES) / bytesPerItem;
        return (int) Math.max(1, Math.min(cap, fits));
    }

    /** A run of items that {@link #write} writes as batch frames. */
    public interface Batches {

        /**
         * Writes items {@code [from, to)} as one batch frame if it takes at most {@code frameLimit} bytes, header
         * included (see {@link FrameWriter#writeWithin}).
         *
         * @return the frame's payload, in bytes; -1 if it would have been larger, and nothing was written
         * @throws EncodingException if some item cannot be encoded; nothing was written
         */
        int write(int from, int to, int frameLimit) throws EncodingException, IOException;

        /** Items {@code [from, to)} cannot be encoded together: writes each that can on its own, deals with the rest. */
        void writeOneByOne(int from, int to) throws IOException;
    }

    /**
     * Writes items {@code [0, count)} in order, each once: as one batch if its frame fits the budget, else as two
     * halves, each the same way (a single item goes whatever its size); a batch that cannot be encoded goes item by
     * item. Learns from every frame written.
     *
     * @throws IOException if the stream failed
     */
    public void write(int count, Batches batches) throws IOException {
        write(0, count, batches);
    }

    private void write(int from, int to, Batches batches) throws IOException {
        int written;
        try {
            written = batches.write(from, to, to - from == 1 ? Integer.MAX_VALUE : frameLimit());
        } catch (EncodingException e) {
            batches.writeOneByOne(from, to);
            return;
        }
        if (written >= 0) {
            sent(to - from, written);
            return;
        }
        int half = from + (to - from) / 2;
        write(from, half, batches);
        write(half, to, batches);
    }

    /** Learns from a batch frame just written: {@code items} items in a payload of {@code payloadBytes}. */
    public void sent(int items, int payloadBytes) {
        if (items > 0 && payloadBytes > 0) {
            bytesPerItem = (double) payloadBytes / items;
        }
    }
}
