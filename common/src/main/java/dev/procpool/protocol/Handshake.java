package dev.procpool.protocol;

import java.nio.ByteBuffer;

/**
 * The first message a worker sends: which protocol it speaks, a fingerprint of its wire registrations, and its
 * process id. Its layout is fixed (magic, int, long, long; big-endian) so that a worker from any build can be
 * told apart.
 */
public record Handshake(int protocolVersion, long registrationFingerprint, long pid) {

    /** Bytes after the magic. */
    static final int PAYLOAD_BYTES = Integer.BYTES + Long.BYTES + Long.BYTES;

    /** The handshake of this build for the given fingerprint and this process. */
    public static Handshake of(long registrationFingerprint) {
        return new Handshake(Protocol.VERSION, registrationFingerprint, ProcessHandle.current().pid());
    }

    /** Whether a peer sending this handshake speaks exactly what this build with {@code fingerprint} speaks. */
    public boolean matches(long fingerprint) {
        return protocolVersion == Protocol.VERSION && registrationFingerprint == fingerprint;
    }

    /** The whole handshake as sent: the magic, then the payload. */
    byte[] toBytes() {
        return ByteBuffer.allocate(Integer.BYTES + PAYLOAD_BYTES)
                .putInt(Protocol.HANDSHAKE_MAGIC)
                .putInt(protocolVersion)
                .putLong(registrationFingerprint)
                .putLong(pid)
                .array();
    }

    static Handshake fromPayload(byte[] bytes, int offset) {
        ByteBuffer payload = ByteBuffer.wrap(bytes, offset, PAYLOAD_BYTES);
        return new Handshake(payload.getInt(), payload.getLong(), payload.getLong());
    }
}
