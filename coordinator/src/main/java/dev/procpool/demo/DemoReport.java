package dev.procpool.demo;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Prints the demo: a table of the eleven tasks in both runs, the totals and the lesson, or with {@code --json} one
 * object per task and one with the totals. The only place the demo's report is written. Not thread-safe.
 */
abstract class DemoReport {

    /** The table's width: a terminal's 80 columns without wrapping. */
    static final int WIDTH = 79;
    /** A unit after its number, with what punctuation follows it. */
    private static final Pattern UNIT = Pattern.compile("(s|ms)[,.;:)]*");

    final PrintWriter out;

    DemoReport(PrintWriter out) {
        this.out = out;
    }

    static DemoReport table(PrintWriter out) {
        return new Table(out);
    }

    static DemoReport json(PrintWriter out) {
        return new Json(out);
    }

    /** What is about to run, printed before it runs (the runs take a while). */
    abstract void header(DemoSettings settings);

    abstract void outcome(DemoOutcome outcome, String lesson);

    /**
     * {@code text} in lines of at most {@link #WIDTH} columns, every line after the first indented; a unit ({@code s},
     * {@code ms}) stays on the line of its number.
     */
    static List<String> wrap(String text, int indent) {
        List<String> words = new ArrayList<>();
        for (String word : text.split(" ")) {
            if (!words.isEmpty() && UNIT.matcher(word).matches()) {
                words.set(words.size() - 1, words.get(words.size() - 1) + " " + word);
            } else {
                words.add(word);
            }
        }
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : words) {
            if (!line.isEmpty() && line.length() + 1 + word.length() > WIDTH) {
                lines.add(line.toString());
                line.setLength(0);
                line.append(" ".repeat(indent));
            } else if (!line.isEmpty() && !line.toString().isBlank()) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    private static final class Table extends DemoReport {

        private static final String ROW = "%-10s  %-12s  %-20s  %12s  %9s%n";

        Table(PrintWriter out) {
            super(out);
        }

        @Override
        void header(DemoSettings settings) {
            print(String.format(Locale.ROOT, "procpool demo: 11 tasks, first one after another on this thread, then "
                    + "each on the executor that suits it; %d workers, %d cores, Java %s", settings.workers(),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")), 0);
            print(String.format(Locale.ROOT, "computes of %,d turns; downloads of a %s page served %d ms after each "
                    + "request; waits of %,d x 1 ms", settings.turns(), size(settings.pageBytes()),
                    settings.latency().toMillis(), settings.waits()), 0);
            out.println();
            out.flush();
        }

        @Override
        void outcome(DemoOutcome outcome, String lesson) {
            out.printf(Locale.ROOT, ROW, "task", "kind", "executor (mixed run)", "sequential s", "mixed s");
            List<TaskTime> sequential = outcome.sequential().tasks();
            List<TaskTime> mixed = outcome.mixed().tasks();
            for (int i = 0; i < sequential.size(); i++) {
                DemoTask task = sequential.get(i).task();
                out.printf(Locale.ROOT, ROW, task.name(), task.kind().label(), mixed.get(i).executor(),
                        seconds(sequential.get(i).seconds()), seconds(mixed.get(i).seconds()));
            }
            out.println();
            print("mixed s counts from the start of the mixed run, when every task was handed to its executor (the "
                    + "computes once the process pool was up).", 0);
            out.println();
            out.printf(Locale.ROOT, "sequential total  %s s%n", seconds(outcome.sequential().totalSeconds()));
            RunResult run = outcome.mixed();
            print(String.format(Locale.ROOT, "mixed total       %s s, including the process pool's start-up "
                    + "(%.3f s) and shutdown (%.3f s)", seconds(run.totalSeconds()), run.startupSeconds(),
                    run.shutdownSeconds()), 18);
            out.printf(Locale.ROOT, "speedup           %.2fx%n", outcome.speedup());
            out.println();
            if (!outcome.outcomesMatch()) {
                out.println("OUTCOMES DIFFER between the runs: see --json");
            }
            print(lesson, 0);
            out.flush();
        }

        private void print(String text, int indent) {
            for (String line : wrap(text, indent)) {
                out.println(line);
            }
        }

        private static String seconds(double seconds) {
            return String.format(Locale.ROOT, "%.3f", seconds);
        }

        private static String size(int bytes) {
            return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + "-byte";
        }
    }

    private static final class Json extends DemoReport {

        private final Gson gson = new GsonBuilder().disableHtmlEscaping().create();

        Json(PrintWriter out) {
            super(out);
        }

        @Override
        void header(DemoSettings settings) {
            // The settings travel in the last object, with the totals.
        }

        @Override
        void outcome(DemoOutcome outcome, String lesson) {
            List<TaskTime> sequential = outcome.sequential().tasks();
            List<TaskTime> mixed = outcome.mixed().tasks();
            for (int i = 0; i < sequential.size(); i++) {
                TaskTime alone = sequential.get(i);
                TaskTime atOnce = mixed.get(i);
                JsonObject line = new JsonObject();
                line.addProperty("task", alone.task().name());
                line.addProperty("kind", alone.task().kind().key());
                line.addProperty("executor", atOnce.executor());
                line.addProperty("sequentialSeconds", alone.seconds());
                if (!Double.isNaN(alone.cpuSeconds())) {
                    line.addProperty("sequentialCpuSeconds", alone.cpuSeconds());
                }
                line.addProperty("mixedSeconds", atOnce.seconds());
                line.addProperty("sequentialThread", alone.thread());
                line.addProperty("thread", atOnce.thread());
                line.addProperty("virtual", atOnce.virtual());
                line.addProperty("outcome", atOnce.outcome());
                line.addProperty("match", alone.outcome().equals(atOnce.outcome()));
                out.println(gson.toJson(line));
            }
            DemoSettings settings = outcome.settings();
            RunResult run = outcome.mixed();
            JsonObject line = new JsonObject();
            line.addProperty("sequentialSeconds", outcome.sequential().totalSeconds());
            line.addProperty("mixedSeconds", run.totalSeconds());
            line.addProperty("startupSeconds", run.startupSeconds());
            line.addProperty("shutdownSeconds", run.shutdownSeconds());
            if (!Double.isNaN(run.workerCpuSeconds())) {
                line.addProperty("workerCpuSeconds", run.workerCpuSeconds());
            }
            if (outcome.loadAverage() >= 0) {
                line.addProperty("loadAverage", outcome.loadAverage());
            }
            line.addProperty("speedup", outcome.speedup());
            line.addProperty("workers", settings.workers());
            line.addProperty("cores", Runtime.getRuntime().availableProcessors());
            line.addProperty("turns", settings.turns());
            line.addProperty("waits", settings.waits());
            line.addProperty("latencySeconds", settings.latency().toNanos() / 1e9);
            line.addProperty("pageBytes", settings.pageBytes());
            line.addProperty("match", outcome.outcomesMatch());
            line.addProperty("lesson", lesson);
            out.println(gson.toJson(line));
            out.flush();
        }
    }
}
