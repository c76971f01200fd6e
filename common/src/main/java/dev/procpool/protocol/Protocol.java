package dev.procpool.protocol;

/**
 * Constants both ends of the worker channel agree on.
 *
 * <p>The channel is a worker's stdin (coordinator to worker) and stdout (worker to coordinator). The worker
 * speaks first, with a {@link Handshake}; after that every message is a frame:
 * {@code [FRAME_MAGIC int][payload length int][Kryo payload]}, big-endian.
 */
public final class Protocol {

    /** Bumped whenever the frame layout or a message's encoding changes. */
    public static final int VERSION = 7;

    /** "PPF1": opens every message frame; anything else on the channel is stray output. */
    public static final int FRAME_MAGIC = 0x50504631;

    /** Bytes of a frame before its payload: the magic, then the payload's length (big-endian). */
    public static final int FRAME_HEADER_BYTES = 8;

    /** "PPHS": opens the handshake, whose fixed layout never depends on Kryo registrations. */
    public static final int HANDSHAKE_MAGIC = 0x50504853;

    /** The largest payload accepted by default; larger frames are refused before anything is allocated. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

    /** The largest frame limit a reader or writer accepts, so header arithmetic cannot overflow. */
    public static final int MAX_FRAME_LIMIT = Integer.MAX_VALUE - 64;

    /**
     * Tasks or results one batch may carry: a worker's window never exceeds it (an adaptive one stays at 4,096 tasks
     * or fewer; a fixed one is at most this), and it bounds what a hostile count can make a reader allocate.
     */
    public static final int MAX_BATCH_ELEMENTS = 1 << 16;

    /** The worker's entry point, named here so the coordinator can launch it without depending on it. */
    public static final String WORKER_MAIN_CLASS = "dev.procpool.worker.WorkerMain";

    private Protocol() {
    }

    /**
     * Returns {@code maxFrameBytes} if a reader or writer accepts it as its frame limit.
     *
     * @throws IllegalArgumentException if it is not between 1 and {@link #MAX_FRAME_LIMIT}
     */
    public static int checkMaxFrameBytes(int maxFrameBytes) {
        if (maxFrameBytes < 1 || maxFrameBytes > MAX_FRAME_LIMIT) {
            throw new IllegalArgumentException("maxFrameBytes must be between 1 and " + MAX_FRAME_LIMIT + ", was "
                    + maxFrameBytes);
        }
        return maxFrameBytes;
    }

    /** A magic number as it appears on the channel: its four bytes, big-endian. */
    static byte[] magicBytes(int magic) {
        return new byte[] {(byte) (magic >>> 24), (byte) (magic >>> 16), (byte) (magic >>> 8), (byte) magic};
    }
}
