package dev.procpool.cli.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationsTest {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({"500ms, 500", "30s, 30000", "1.5s, 1500", "2m, 120000", "1h, 3600000", "' 10s ', 10000"})
    void parse_acceptedForms(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "s", "-1s", "0ms", "0.5ms", "1.5", "10 s", "1d", "2mins", "9999999h"})
    void parse_rejectedForms(String text) {
        assertThrows(TypeConversionException.class, () -> Durations.parse(text));
    }
}
