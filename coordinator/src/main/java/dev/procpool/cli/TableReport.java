package dev.procpool.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The human report: what runs, then an aligned table printed row by row (its column headings with the first row, so
 * a run that fails before any row leaves no empty table behind), then the verdict and the lesson. Not thread-safe.
 */
final class TableReport implements Report {

    private static final String ROW = "%-10s  %7s  %6s  %8s  %10s  %7s  %8s  %7s  %7s  %10s  %s%n";

    private final PrintWriter out;
    private boolean headed;

    TableReport(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void header(String job, long size, int tasks, List<Integer> workerCounts) {
        String workers = workerCounts.size() == 1 ? Lesson.workers(workerCounts.get(0))
                : "workers " + workerCounts.stream().map(String::valueOf).collect(Collectors.joining(", "));
        out.printf(Locale.ROOT, "job %s, size %d, %d tasks, %s, %d cores%n%n", job, size, tasks, workers,
                Runtime.getRuntime().availableProcessors());
        out.flush();
    }

    @Override
    public void mode(ModeResult result, ModeResult baseline) {
        if (!headed) {
            out.printf(Locale.ROOT, ROW, "mode", "workers", "tasks", "wall s", "start-up s", "CPU s", "peak MiB",
                    "threads", "speedup", "efficiency", "result");
            headed = true;
        }
        double speedup = result.speedup(baseline);
        out.printf(Locale.ROOT, ROW,
                result.mode().label(),
                result.workers(),
                result.tasks(),
                String.format(Locale.ROOT, "%.3f", result.wallSeconds()),
                result.startup().isZero() ? "-" : String.format(Locale.ROOT, "%.3f", result.startupSeconds()),
                String.format(Locale.ROOT, "%.2f", result.cpuSeconds()),
                Double.isNaN(result.peakMebibytes()) ? "-" : String.format(Locale.ROOT, "%.0f", result.peakMebibytes()),
                result.peakThreads().isPresent() ? String.valueOf(result.peakThreads().getAsInt()) : "-",
                Double.isNaN(speedup) ? "-" : String.format(Locale.ROOT, "%.2fx", speedup),
                Double.isNaN(speedup) ? "-" : String.format(Locale.ROOT, "%.2f", result.efficiency(baseline)),
                result.result());
        if (!Placement.allLocal(result.placement())) {
            out.println("            on " + result.placement().stream()
                    .map(host -> String.format(Locale.ROOT, "%s x%d (launch %.2f s)", host.host(), host.workers(),
                            host.launch().toNanos() / 1e9))
                    .collect(Collectors.joining(", ")));
        }
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
