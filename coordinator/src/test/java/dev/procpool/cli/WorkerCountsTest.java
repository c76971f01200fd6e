package dev.procpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.Mode;
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
    @ValueSource(strings = {"", "0", "-1", "two", "1,,2", "1,", "4..1", "1..100", "1..100000", "100001", "1.5", "1...4", "99999999999"})
    void parse_badCounts_areRefused(String text) {
        assertThrows(TypeConversionException.class, () -> WorkerCounts.parse(text));
    }

    @Test
    void limits_processesAndThreadsStayBounded_virtualThreadsGoFarBeyond() {
        assertNull(WorkerCounts.checkLimits(List.of(Mode.VIRTUAL), 100_000));
        assertNull(WorkerCounts.checkLimits(List.of(Mode.THREADS), 10_000));
        assertNull(WorkerCounts.checkLimits(List.of(Mode.SEQUENTIAL, Mode.THREADS, Mode.VIRTUAL, Mode.PROCESSES), 256));

        assertEquals("--workers=10001 is more platform threads than --mode=threads runs at once (at most 10000); "
                + "--mode=threads takes up to 10000, --mode=virtual up to 100000",
                WorkerCounts.checkLimits(List.of(Mode.THREADS), 10_001));
        String compare = WorkerCounts.checkLimits(List.of(Mode.SEQUENTIAL, Mode.THREADS, Mode.VIRTUAL, Mode.PROCESSES),
                10_000);
        assertTrue(compare.startsWith("--workers=10000 is more worker processes than --mode=processes runs at once (at "
                + "most 256; --mode=compare runs every mode)"), compare);
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
