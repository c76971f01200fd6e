package dev.procpool.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How {@link Range} cuts an interval into parts. */
class RangeTest {

    private static final long HALF = Long.MAX_VALUE / 2;

    static Stream<Arguments> intervalsAndParts() {
        long[][] intervals = {
            {0, 0}, {0, 1}, {0, 2}, {0, 7}, {0, 10}, {0, 100}, {0, 1_001}, {5, 5}, {1, 1_000_000},
            {-10, 10}, {-1_000, -3},
            {HALF - 3, HALF + 4}, {0, HALF}, {HALF, Long.MAX_VALUE}, {-HALF, HALF},
            {Long.MAX_VALUE - 10, Long.MAX_VALUE}, {Long.MIN_VALUE, Long.MIN_VALUE + 10},
        };
        int[] parts = {1, 2, 3, 7, 10, 64, 999, 1_000};
        return Stream.of(intervals).flatMap(interval -> IntStream.of(parts)
                .mapToObj(count -> arguments(interval[0], interval[1], count)));
    }

    @ParameterizedTest(name = "[{0}, {1}) in {2}")
    @MethodSource("intervalsAndParts")
    void part_coversTheIntervalOnceInOrder_withLengthsWithinOne(long from, long to, int parts) {
        long next = from;
        long shortest = Long.MAX_VALUE;
        long longest = Long.MIN_VALUE;
        for (int index = 0; index < parts; index++) {
            Range part = Range.part(from, to, parts, index);
            assertEquals(next, part.from(), "start of part " + index);
            assertTrue(part.to() >= part.from(), () -> "part " + part);
            next = part.to();
            shortest = Math.min(shortest, part.length());
            longest = Math.max(longest, part.length());
        }
        assertEquals(to, next, "end of the last part");
        assertTrue(longest - shortest <= 1, "part lengths run from " + shortest + " to " + longest);
    }

    @Test
    void part_morePartsThanValues_givesUnitPartsThenEmptyOnes() {
        assertEquals(new Range(0, 1), Range.part(0, 10, Integer.MAX_VALUE, 0));
        assertEquals(new Range(9, 10), Range.part(0, 10, Integer.MAX_VALUE, 9));
        assertEquals(new Range(10, 10), Range.part(0, 10, Integer.MAX_VALUE, 10));
        assertEquals(new Range(10, 10), Range.part(0, 10, Integer.MAX_VALUE, Integer.MAX_VALUE - 1));
    }

    @ParameterizedTest(name = "length {0}, {1} requested: {2}")
    @CsvSource({
        "0, 1, 1", "0, 8, 1", "1, 8, 1", "3, 8, 3", "8, 8, 8", "9, 8, 8", "1000000, 8, 8",
        "9223372036854775807, 2147483647, 2147483647", "4611686018427387903, 7, 7",
    })
    void partCount_isRequestedClampedToLengthAndOne(long length, int requested, int expected) {
        assertEquals(expected, Range.partCount(length, requested));
    }

    @ParameterizedTest(name = "{0} parts, index {1}")
    @CsvSource({"0, 0", "-1, 0", "-2147483648, 0", "3, -1", "3, 3", "3, 2147483647", "1, 1"})
    void part_invalidPartsOrIndex_throws(int parts, int index) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Range.part(0, 10, parts, index));

        assertTrue(e.getMessage().contains(parts < 1 ? "parts" : "index"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void partCount_requestedBelowOne_throws(int requested) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Range.partCount(10, requested));

        assertTrue(e.getMessage().contains("requested"), e.getMessage());
    }

    @Test
    void constructor_endBeforeStart_throws() {
        assertThrows(IllegalArgumentException.class, () -> new Range(5, 4));
        assertThrows(IllegalArgumentException.class, () -> Range.part(5, 4, 1, 0));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void part_endBeforeStart_throwsForAnyPartCount(int index) {
        assertThrows(IllegalArgumentException.class, () -> Range.part(5, 4, 2, index));
    }

    @Test
    void lengthAndText_describeTheHalfOpenInterval() {
        Range range = new Range(-2, 5);

        assertEquals(7, range.length());
        assertEquals("[-2, 5)", range.toString());
        assertEquals(0, new Range(3, 3).length());
    }
}
