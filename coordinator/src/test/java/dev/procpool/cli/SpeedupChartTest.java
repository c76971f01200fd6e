package dev.procpool.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.Mode;
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
            new ModeResult(Mode.SEQUENTIAL, 1, 8, Duration.ofMillis(2000), Duration.ZERO, 2.0, Double.NaN, 60, "x"),
            new ModeResult(Mode.THREADS, 1, 8, Duration.ofMillis(2000), Duration.ZERO, 2.0, Double.NaN, 60, "x"),
            new ModeResult(Mode.THREADS, 2, 8, Duration.ofMillis(1000), Duration.ZERO, 2.0, Double.NaN, 70, "x"),
            new ModeResult(Mode.PROCESSES, 2, 8, Duration.ofMillis(1100), Duration.ofMillis(80), 2.2, Double.NaN, 86, "x"));

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
