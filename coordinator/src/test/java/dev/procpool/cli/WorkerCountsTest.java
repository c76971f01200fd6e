package dev.procpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class WorkerCountsTest {

    @Test
    void parse_oneListOrRange_distinctAndInOrder() {
        assertEquals(List.of(8), WorkerCounts.parse("8"));
        assertEquals(List.of(1, 2, 4, 8), WorkerCounts.parse("8,1,4,2,4"));
        assertEquals(List.of(1, 2, 3, 4), WorkerCounts.parse("1..4"));
        assertEquals(List.of(3), WorkerCounts.parse(" 3..3 "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "-1", "two", "1,,2", "1,", "4..1", "1..100", "257", "1.5", "1...4", "99999999999"})
    void parse_badCounts_areRefused(String text) {
        assertThrows(TypeConversionException.class, () -> WorkerCounts.parse(text));
    }

    @Test
    void parse_moreThanMaxCounts_isRefused_whetherRangeOrList() {
        String range = "1.." + (WorkerCounts.MAX_COUNTS + 1);
        String list = String.join(",", IntStream.rangeClosed(1, WorkerCounts.MAX_COUNTS + 1)
                .mapToObj(String::valueOf).toList());

        assertEquals(WorkerCounts.MAX_COUNTS, WorkerCounts.parse("1.." + WorkerCounts.MAX_COUNTS).size());
        for (String text : List.of(range, list)) {
            TypeConversionException thrown = assertThrows(TypeConversionException.class, () -> WorkerCounts.parse(text));
            assertEquals("'" + text + "' has more than " + WorkerCounts.MAX_COUNTS + " worker counts", thrown.getMessage());
        }
    }
}
