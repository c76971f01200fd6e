package dev.procpool.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * Prints the benchmark as it runs: a plain table, or with {@code --json} one object per measurement. The only
 * place the benchmark's report is written. Not thread-safe.
 */
abstract class BenchReport {

    final PrintWriter out;

    BenchReport(PrintWriter out) {
        this.out = out;
    }

    static BenchReport table(PrintWriter out) {
        return new Table(out);
    }

    static BenchReport json(PrintWriter out) {
        return new Json(out);
    }

    abstract void header(String description);

    abstract void section(String title);

    abstract void measurement(Measurement measurement);

    /** The verdict over every bar: how many there were and how many were missed. */
    void summary(List<Measurement> measurements) {
        long missed = measurements.stream().filter(m -> !m.passes()).count();
        long bars = measurements.stream().filter(m -> m.bar() != null).count();
        finish(bars, missed);
    }

    abstract void finish(long bars, long missed);

    /** Two or three significant figures: 23.8, 1.62, 0.951. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double magnitude = Math.abs(value);
        String format = magnitude >= 100 ? "%.0f" : magnitude >= 10 ? "%.1f" : magnitude >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, format, value);
    }

    /** Large rates in thousands or millions: 3.15 M. */
    static String scaled(double value, String unit) {
        if (value >= 1e6) {
            return number(value / 1e6) + " M" + unit;
        }
        if (value >= 1e4) {
            return number(value / 1e3) + " k" + unit;
        }
        return number(value) + " " + unit;
    }

    private static final class Table extends BenchReport {

        Table(PrintWriter out) {
            super(out);
        }

        @Override
        void header(String description) {
            out.println(description);
            out.println("median of the repetitions, range in brackets");
            out.println("ratios: within each repetition, except those to section a (measured apart): of the medians");
            out.flush();
        }

        @Override
        void section(String title) {
            out.println();
            out.println(title);
            out.flush();
        }

        @Override
        void measurement(Measurement m) {
            Samples s = m.samples();
            String value = scaled(s.median(), m.unit());
            String range = "(" + scaled(s.min(), "").strip() + " - " + scaled(s.max(), "").strip() + ")";
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-38s %13s %-19s", m.label(), value, range));
            if (m.ratios() != null) {
                line.append(String.format(Locale.ROOT, " %6sx %-14s", number(m.ratios().median()), m.comparedWith()));
            }
            if (m.bar() != null) {
                line.append(String.format(Locale.ROOT, "  bar %s%s: %s", m.bar().describe(),
                        m.bar().appliesToRatio() ? "x" : " " + m.unit(), m.passes() ? "met" : "MISSED"));
            }
            out.println(line.toString().stripTrailing());
            out.flush();
        }

        @Override
        void finish(long bars, long missed) {
            out.println();
            out.println(missed == 0 ? "all " + bars + " bars met" : missed + " of " + bars + " bars missed");
            out.flush();
        }
    }

    private static final class Json extends BenchReport {

        private final Gson gson = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();

        Json(PrintWriter out) {
            super(out);
        }

        @Override
        void header(String description) {
            JsonObject line = new JsonObject();
            line.addProperty("benchmark", description);
            out.println(gson.toJson(line));
            out.flush();
        }

        @Override
        void section(String title) {
            // Each measurement names its section.
        }

        @Override
        void measurement(Measurement m) {
            JsonObject line = new JsonObject();
            line.addProperty("section", m.section());
            line.addProperty("key", m.key());
            line.addProperty("label", m.label());
            line.addProperty("unit", m.unit());
            line.addProperty("median", m.samples().median());
            line.addProperty("min", m.samples().min());
            line.addProperty("max", m.samples().max());
            line.addProperty("repetitions", m.samples().values().length);
            if (m.ratios() != null) {
                line.addProperty("ratio", m.ratios().median());
                line.addProperty("ratioMin", m.ratios().min());
                line.addProperty("ratioMax", m.ratios().max());
                line.addProperty("comparedWith", m.comparedWith());
            }
            if (m.bar() != null) {
                line.addProperty("bar", m.bar().describe());
                line.addProperty("met", m.passes());
            }
            out.println(gson.toJson(line));
            out.flush();
        }

        @Override
        void finish(long bars, long missed) {
            JsonObject line = new JsonObject();
            line.addProperty("bars", bars);
            line.addProperty("missed", missed);
            out.println(gson.toJson(line));
            out.flush();
        }
    }
}
