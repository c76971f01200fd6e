package dev.procpool.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.Mode;
import java.util.ArrayList;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class SpeedupChartTest {

    @TempDir
    Path dir;

    private final List<ModeResult> runs = List.of(
            run(Mode.SEQUENTIAL, 1, 2000, 0),
            run(Mode.THREADS, 1, 2000, 0),
            run(Mode.VIRTUAL, 1, 2010, 0),
            run(Mode.THREADS, 2, 1000, 0),
            run(Mode.VIRTUAL, 2, 1010, 0),
            run(Mode.PROCESSES, 2, 1100, 80));

    private static ModeResult run(Mode mode, int workers, long wallMillis, long startupMillis) {
        return new ModeResult(mode, workers, 8, Duration.ofMillis(wallMillis), Duration.ofMillis(startupMillis), 2.0,
                60, OptionalInt.of(20), TaskTime.UNKNOWN, "x");
    }

    /** The worker counts of a sweep: one run of each mode at each. */
    private static List<ModeResult> sweep(int... counts) {
        List<ModeResult> sweep = new ArrayList<>(List.of(run(Mode.SEQUENTIAL, 1, 2000, 0)));
        for (int count : counts) {
            sweep.add(run(Mode.THREADS, count, 2000 / Math.min(count, 2), 0));
            sweep.add(run(Mode.VIRTUAL, count, 2000 / Math.min(count, 2) + 5, 0));
            sweep.add(run(Mode.PROCESSES, count, 2000 / Math.min(count, 2) + 90, 80));
        }
        return sweep;
    }

    static Stream<int[]> sweeps() {
        return Stream.of(new int[] {1, 2, 3, 4}, new int[] {1, 2, 4}, new int[] {2, 3}, new int[] {1, 2},
                new int[] {2}, new int[] {1}, new int[] {1, 2, 3, 4, 5, 6, 7}, new int[] {3, 5, 7}, new int[] {1, 12},
                new int[] {1, 2, 4, 8, 16, 32, 64, 128, 256}, new int[] {1, 10_000}, new int[] {3, 100},
                IntStream.rangeClosed(1, 32).toArray());
    }

    @ParameterizedTest
    @MethodSource("sweeps")
    void workerAxis_hasWholeNumberTicksOnly(int[] counts) {
        XYChart chart = SpeedupChart.chart("sqrt", sweep(counts));
        Set<Double> ticks = new TreeSet<>();
        // The axis asks this function for the label of every tick it places.
        chart.getStyler().setxAxisTickLabelsFormattingFunction(value -> {
            ticks.add(value);
            return String.valueOf(value);
        });

        BitmapEncoder.getBufferedImage(chart);

        assertFalse(ticks.isEmpty());
        for (double tick : ticks) {
            assertEquals(Math.rint(tick), tick, "a tick at " + tick + " among " + ticks);
        }
    }

    @Test
    void png_isAPng() throws Exception {
        Path file = dir.resolve("speedup.png");

        SpeedupChart.write(file, "sqrt", runs);

        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(bytes, 4));
    }

    @Test
    void svg_isAnSvgWithEverySeries() throws Exception {
        Path file = dir.resolve("nested/speedup.svg");

        SpeedupChart.write(file, "sqrt", runs);

        // The text is drawn as glyph outlines, so the labels are not there as strings: check the document.
        DocumentBuilderFactory parser = DocumentBuilderFactory.newInstance();
        parser.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // offline
        Document svg = parser.newDocumentBuilder().parse(file.toFile());
        assertEquals("svg", svg.getDocumentElement().getTagName());
        assertTrue(svg.getElementsByTagName("path").getLength() > 20,
                "axes, grid, three series and their labels: " + svg.getElementsByTagName("path").getLength());
    }

    @Test
    void format_byExtension() {
        assertEquals("png", SpeedupChart.format(Path.of("a/B.PNG")));
        assertEquals("svg", SpeedupChart.format(Path.of("chart.svg")));
        assertNull(SpeedupChart.format(Path.of("chart.pdf")));
    }
}
