package dev.procpool.protocol;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The first message a worker sends: which protocol it speaks, a fingerprint of its wire registrations, its process id,
 * and the host it runs on. Its layout is fixed (magic, int, long, long, then a short length and that many bytes of
 * host name; big-endian) so that a worker from any build can be told apart: a reader reads the host only when the
 * version matches its own.
 *
 * @param host where the worker runs: its Slurm node, else the machine's host name; empty if unknown
 */
public record Handshake(int protocolVersion, long registrationFingerprint, long pid, String host) {

    /** Bytes after the magic up to the host name, in every version: version, fingerprint and pid. */
    static final int PAYLOAD_BYTES = Integer.BYTES + Long.BYTES + Long.BYTES;
    /** The longest host name sent, in bytes; longer names are cut. */
    static final int MAX_HOST_BYTES = 255;

    public Handshake {
        host = host == null ? "" : host;
    }

    /** The handshake of this build for the given fingerprint, this process, and this host. */
    public static Handshake of(long registrationFingerprint) {
        return new Handshake(Protocol.VERSION, registrationFingerprint, ProcessHandle.current().pid(), localHost());
    }

    /** Whether a peer sending this handshake speaks exactly what this build with {@code fingerprint} speaks. */
    public boolean matches(long fingerprint) {
        return protocolVersion == Protocol.VERSION && registrationFingerprint == fingerprint;
    }

    /** The whole handshake as sent: the magic, then the payload. */
    byte[] toBytes() {
        byte[] name = host.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(name.length, MAX_HOST_BYTES);
        return ByteBuffer.allocate(Integer.BYTES + PAYLOAD_BYTES + Short.BYTES + length)
                .putInt(Protocol.HANDSHAKE_MAGIC)
                .putInt(protocolVersion)
                .putLong(registrationFingerprint)
                .putLong(pid)
                .putShort((short) length)
                .put(name, 0, length)
                .array();
    }

    /** The fixed part of a handshake, without its host. */
    static Handshake fromPayload(byte[] bytes, int offset) {
        ByteBuffer payload = ByteBuffer.wrap(bytes, offset, PAYLOAD_BYTES);
        return new Handshake(payload.getInt(), payload.getLong(), payload.getLong(), "");
    }

    /** This handshake with the host name a reader found after its fixed part. */
    Handshake withHost(String name) {
        return new Handshake(protocolVersion, registrationFingerprint, pid, name);
    }

    /**
     * Where this process runs: the Slurm node it was placed on, else the kernel's host name. Read from a file, not
     * through the network stack: it runs on every worker's start path.
     */
    private static String localHost() {
        String node = System.getenv("SLURMD_NODENAME");
        if (node != null && !node.isBlank()) {
            return node;
        }
        try (InputStream in = new FileInputStream("/proc/sys/kernel/hostname")) {
            return new String(in.readNBytes(MAX_HOST_BYTES), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
