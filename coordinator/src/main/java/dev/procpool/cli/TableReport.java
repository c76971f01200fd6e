package dev.procpool.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The human report: an aligned table printed row by row, then the verdict and the lesson. Not thread-safe. */
final class TableReport implements Report {

    private static final String ROW = "%-10s  %7s  %6s  %8s  %10s  %7s  %8s  %7s  %10s  %s%n";

    private final PrintWriter out;

    TableReport(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void header(String job, long size, int tasks, List<Integer> workerCounts) {
        String workers = workerCounts.size() == 1 ? workerCounts.get(0) + " workers"
                : "workers " + workerCounts.stream().map(String::valueOf).collect(Collectors.joining(", "));
        out.printf(Locale.ROOT, "job %s, size %d, %d tasks, %s, %d cores%n%n", job, size, tasks, workers,
                Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, ROW, "mode", "workers", "tasks", "wall s", "start-up s", "CPU s", "peak MiB",
                "speedup", "efficiency", "result");
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
                String.format(Locale.ROOT, "%.2f", result.cpuSeconds()),
                Double.isNaN(result.peakMebibytes()) ? "-" : String.format(Locale.ROOT, "%.0f", result.peakMebibytes()),
                Double.isNaN(speedup) ? "-" : String.format(Locale.ROOT, "%.2fx", speedup),
                Double.isNaN(speedup) ? "-" : String.format(Locale.ROOT, "%.2f", result.efficiency(baseline)),
                result.result());
        out.flush();
    }

    @Override
    public void verdict(boolean match, int runs, Lesson lesson) {
        out.println();
        if (runs < 2) {
            out.println("one run; nothing to compare");
        } else if (match) {
            out.println("all " + runs + " results match");
        } else {
            out.println("RESULTS DIFFER between runs");
        }
        out.println(lesson.text());
        out.flush();
    }
}
