package dev.procpool.protocol;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The first message a worker sends: which protocol it speaks, a fingerprint of its wire registrations, and its
 * process id. Its layout is fixed (magic, int, long, long) so that a worker from any build can be told apart.
 */
public record Handshake(int protocolVersion, long registrationFingerprint, long pid) {

    static final int PAYLOAD_BYTES = Integer.BYTES + Long.BYTES + Long.BYTES;

    /** The handshake of this build for the given fingerprint and this process. */
    public static Handshake of(long registrationFingerprint) {
        return new Handshake(Protocol.VERSION, registrationFingerprint, ProcessHandle.current().pid());
    }

    /** Whether a peer sending this handshake speaks exactly what this build with {@code fingerprint} speaks. */
    public boolean matches(long fingerprint) {
        return protocolVersion == Protocol.VERSION && registrationFingerprint == fingerprint;
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeInt(Protocol.HANDSHAKE_MAGIC);
        out.writeInt(protocolVersion);
        out.writeLong(registrationFingerprint);
        out.writeLong(pid);
    }

    static Handshake readPayload(DataInput in) throws IOException {
        return new Handshake(in.readInt(), in.readLong(), in.readLong());
    }
}
