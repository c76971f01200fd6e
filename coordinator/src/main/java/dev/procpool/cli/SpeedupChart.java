package dev.procpool.cli;

import dev.procpool.Mode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws speedup over sequential against worker count, for threads, virtual threads and processes, with the ideal
 * line. Stateless.
 */
final class SpeedupChart {

    private static final int WIDTH = 800;

    private SpeedupChart() {
    }

    /** {@code png} or {@code svg} from the file name, or null for anything else. */
    static String format(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") ? "png" : name.endsWith(".svg") ? "svg" : null;
    }

    /**
     * Draws the runs of a comparison (which must include the sequential baseline) into {@code file}.
     *
     * @throws IOException if the file cannot be written
     */
    static void write(Path file, String job, List<ModeResult> results) throws IOException {
        XYChart chart = chart(job, results);
        Path absolute = file.toAbsolutePath();
        if (absolute.getParent() != null) {
            Files.createDirectories(absolute.getParent());
        }
        try (OutputStream out = Files.newOutputStream(absolute)) {
            if ("svg".equals(format(file))) {
                VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            } else {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
        }
    }

    /** The chart of a comparison, which must include the sequential baseline. */
    static XYChart chart(String job, List<ModeResult> results) {
        ModeResult baseline = results.stream().filter(r -> r.mode() == Mode.SEQUENTIAL).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("a speedup chart needs the sequential baseline"));
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // no display is needed to draw into a file
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(520)
                .title("Speedup of " + job + " over sequential, " + Runtime.getRuntime().availableProcessors()
                        + " cores").xAxisTitle("workers").yAxisTitle("speedup").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        int most = results.stream().mapToInt(ModeResult::workers).max().orElse(1);
        chart.getStyler().setXAxisTickMarkSpacingHint(tickSpacingHint(most - 1, chart.getStyler().getXAxisTickMarkSpacingHint()));
        XYSeries ideal = chart.addSeries("ideal", new double[] {1, most}, new double[] {1, most});
        ideal.setMarker(SeriesMarkers.NONE);
        ideal.setLineColor(Color.GRAY);
        ideal.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        addMode(chart, "threads", Mode.THREADS, results, baseline, new Color(0x1f77b4));
        addMode(chart, "virtual threads", Mode.VIRTUAL, results, baseline, new Color(0x2ca02c));
        addMode(chart, "processes (start-up included)", Mode.PROCESSES, results, baseline, new Color(0xd62728));
        return chart;
    }

    /**
     * The least pixel spacing between the worker axis's ticks that keeps them on whole numbers. The chart library
     * steps its ticks by 1, 2 or 5 times a power of ten, the smallest such step at least this many pixels apart; a
     * spacing of at least the chart's width per worker of span makes that step at least 1. A span of one worker
     * needs no help (its two ends are the ticks) and must not get it: a spacing wider than the plot draws no ticks.
     */
    static int tickSpacingHint(int span, int defaultHint) {
        return span > 1 ? Math.max(defaultHint, (WIDTH + span - 1) / span) : defaultHint;
    }

    private static void addMode(XYChart chart, String name, Mode mode, List<ModeResult> results, ModeResult baseline,
            Color color) {
        List<ModeResult> runs = results.stream().filter(r -> r.mode() == mode).toList();
        if (runs.isEmpty()) {
            return;
        }
        double[] workers = runs.stream().mapToDouble(ModeResult::workers).toArray();
        double[] speedups = runs.stream().mapToDouble(r -> r.speedup(baseline)).toArray();
        XYSeries series = chart.addSeries(name, workers, speedups);
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setMarker(SeriesMarkers.CIRCLE);
    }
}
