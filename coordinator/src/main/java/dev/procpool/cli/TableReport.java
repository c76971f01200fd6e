package dev.procpool.cli;

import java.io.PrintWriter;
import java.util.Locale;

/** The human report: an aligned table printed row by row. Not thread-safe. */
final class TableReport implements Report {

    private static final String ROW = "%-10s  %7s  %7s  %8s  %10s  %7s  %10s  %s%n";

    private final PrintWriter out;

    TableReport(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void header(String job, long size, int tasks, int workers) {
        out.printf(Locale.ROOT, "job %s, size %d, %d tasks, %d workers, %d cores%n%n", job, size, tasks, workers,
                Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, ROW, "mode", "workers", "tasks", "wall s", "start-up s", "speedup", "efficiency",
                "result");
        out.flush();
    }

    @Override
    public void mode(ModeResult result, ModeResult baseline) {
        double speedup = result.speedup(baseline);
        out.printf(Locale.ROOT, ROW,
                result.mode().label(),
                result.workers(),
                result.tasks(),
                String.format(Locale.ROOT, "%.3f", result.wallSeconds()),
                result.startup().isZero() ? "-" : String.format(Locale.ROOT, "%.3f", result.startupSeconds()),
                Double.isNaN(speedup) ? "-" : String.format(Locale.ROOT, "%.2fx", speedup),
                Double.isNaN(speedup) ? "-" : String.format(Locale.ROOT, "%.2f", result.efficiency(baseline)),
                result.result());
        out.flush();
    }

    @Override
    public void verdict(boolean match, int modes) {
        out.println();
        if (modes < 2) {
            out.println("one mode ran; nothing to compare");
        } else if (match) {
            out.println("all " + modes + " results match");
        } else {
            out.println("RESULTS DIFFER between modes");
        }
        out.flush();
    }
}
