package dev.procpool.cli.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class WholeNumbersTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "1000, 1000",
        "1e9, 1000000000",
        "1E9, 1000000000",
        "2_000_000, 2000000",
        "2.5e3, 2500",
        "1e+3, 1000",
        "-5, -5",
        "' 42 ', 42",
        "9223372036854775807, 9223372036854775807",
    })
    void parse_acceptedForms(String text, long expected) {
        assertEquals(expected, WholeNumbers.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1.5", "1e-3", "2__0", "_1", "1_", "1e", "0x10", "1,000", "9223372036854775808",
        "1e400", "1e99999"})
    void parse_rejectedForms(String text) {
        assertThrows(TypeConversionException.class, () -> WholeNumbers.parse(text));
    }
}
