package dev.procpool.protocol;

/**
 * FNV-1a, 64 bits: a fast hash to tell tables and configurations apart. Not for security; unlike the JDK's
 * message digests it does not start the security providers, which would cost a worker about 19 ms of start-up.
 */
public final class Fnv {

    private Fnv() {
    }

    public static long hash64(byte[] bytes) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
