package dev.procpool.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The hash behind the registration fingerprint: it must be FNV-1a 64 exactly, since both ends compute it. */
class FnvTest {

    @Test
    void hash64_matchesTheReferenceVectors() {
        // From the FNV reference test suite (isthe.com/chongo/tech/comp/fnv).
        assertEquals(0xcbf29ce484222325L, Fnv.hash64(new byte[0]));
        assertEquals(0xaf63dc4c8601ec8cL, Fnv.hash64(ascii("a")));
        assertEquals(0x85944171f73967e8L, Fnv.hash64(ascii("foobar")));
    }

    @Test
    void hash64_mixesBytesInAsUnsigned() {
        // 0xff must be mixed in as 255, not sign-extended to -1.
        long expected = (0xcbf29ce484222325L ^ 0xffL) * 0x100000001b3L;

        assertEquals(expected, Fnv.hash64(new byte[] {(byte) 0xff}));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
