package dev.procpool.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostSlotsTest {

    @ParameterizedTest
    @CsvSource({
        "alpha, alpha, 0",
        "alpha:4, alpha, 4",
        "user@host.example:2, user@host.example, 2",
        "' beta:1 ', beta, 1",
        "local:2, local, 2",
        "[::1]:3, ::1, 3",
        "[fe80::1], fe80::1, 0",
    })
    void parses(String text, String destination, int workers) {
        assertEquals(new HostSlots(destination, workers), HostSlots.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alpha:0", "alpha:-1", "alpha:two", "alpha:", "fe80::1", "::1:2", "ssh://h:2222",
        "ssh://h"})
    void refuses_inOneLineQuotingTheEntry(String text) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> HostSlots.parse(text));
        assertTrue(refused.getMessage().startsWith("'" + text + "': "), refused.getMessage());
        assertEquals(1, refused.getMessage().lines().count(), refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "local:3"})
    void local_isThisMachine(String text) {
        assertTrue(HostSlots.parse(text).isLocal());
    }
}
