package dev.procpool.demo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The paragraph the demo ends with, drawn from what its two runs measured: which tasks took most of the sequential
 * run, what running the waiting tasks at once bought, what worker processes bought the computes, and what set the
 * mixed run's length. Stateless.
 */
final class DemoLesson {

    private static final String COMPUTES = "computes";
    private static final String DOWNLOADS = "downloads";
    private static final String WAITS = "waits";
    private static final String[] NUMBERS = {"no", "one", "two", "three", "four", "five", "six", "seven", "eight",
        "nine", "ten", "eleven", "twelve"};
    /** A 1 ms wait that takes longer than this on average says the machine was busy. */
    private static final double BUSY_WAIT_MILLIS = 1.5;
    /** Waits that took this much longer at once than alone competed for the cores. */
    private static final double CROWDED = 1.2;

    private DemoLesson() {
    }

    static String of(DemoOutcome outcome) {
        RunResult sequential = outcome.sequential();
        RunResult mixed = outcome.mixed();
        List<String> sentences = new ArrayList<>();
        sentences.add(largestShare(sequential));
        sentences.add(waiting(sequential, mixed));
        sentences.add(computing(outcome));
        sentences.add(slowestPart(outcome));
        String busy = busy(outcome);
        if (!busy.isEmpty()) {
            sentences.add(busy);
        }
        return String.join(" ", sentences);
    }

    /** The waits took most of the sequential run: 4.33 s of 6.51 s (66%), against ... */
    private static String largestShare(RunResult sequential) {
        List<String> families = new ArrayList<>(List.of(COMPUTES, DOWNLOADS, WAITS));
        families.sort(Comparator.comparingDouble(sequential::summed).reversed());
        String top = families.get(0);
        double share = sequential.summed(top) / sequential.totalSeconds();
        return String.format(Locale.ROOT, "The %s took %s of the sequential run: %.2f s of %.2f s (%.0f%%), against "
                + "%.2f s for the %s and %.2f s for the %s.", top, share > 0.5 ? "most" : "the largest share",
                sequential.summed(top), sequential.totalSeconds(), 100 * share, sequential.summed(families.get(1)),
                families.get(1), sequential.summed(families.get(2)), families.get(2));
    }

    /** Run at once, the four waits took 1.09 s instead of 4.33 s on virtual threads ... */
    private static String waiting(RunResult sequential, RunResult mixed) {
        long async = mixed.tasks().stream().filter(t -> t.task().kind() == DemoTask.Kind.ASYNC_DOWNLOAD).count();
        return String.format(Locale.ROOT, "Run at once, the %s %s took %.2f s instead of %.2f s (%s) on virtual "
                + "threads, which hold no core while they wait, and the %s %s %.2f s instead of %.2f s (%s), %s of "
                + "them with no thread of their own.",
                count(mixed, WAITS), WAITS, mixed.longest(WAITS), sequential.summed(WAITS),
                faster(sequential.summed(WAITS), mixed.longest(WAITS)),
                count(mixed, DOWNLOADS), DOWNLOADS, mixed.longest(DOWNLOADS), sequential.summed(DOWNLOADS),
                faster(sequential.summed(DOWNLOADS), mixed.longest(DOWNLOADS)), number(async));
    }

    /** What the worker processes bought the computes, start-up included; or that they did not pay. */
    private static String computing(DemoOutcome outcome) {
        RunResult sequential = outcome.sequential();
        RunResult mixed = outcome.mixed();
        int workers = outcome.settings().workers();
        long computes = mixed.tasks().stream().filter(t -> t.task().kind() == DemoTask.Kind.COMPUTE).count();
        double alone = sequential.summed(COMPUTES);
        double atOnce = mixed.longest(COMPUTES);
        if (atOnce >= 0.95 * alone) {
            return String.format(Locale.ROOT, "The %s %s gained nothing from processes: on %d worker %s they took "
                    + "%.2f s against %.2f s one after another in this JVM, and the pool's start-up alone took %.2f s; "
                    + "processes pay only when the computing they share out outweighs their start-up.",
                    number(computes), COMPUTES, workers, workers == 1 ? "process" : "processes", atOnce, alone,
                    mixed.startupSeconds());
        }
        int cores = Runtime.getRuntime().availableProcessors();
        String limit = "";
        if (computes > workers) {
            limit = String.format(Locale.ROOT, "; with %d %s, %s of the %s waited for a free one", workers,
                    workers == 1 ? "worker" : "workers", number(computes - workers), COMPUTES);
        } else if (Math.min(workers, computes) > cores) {
            limit = String.format(Locale.ROOT, "; %s of them shared the %d cores", number(Math.min(workers, computes)),
                    cores);
        }
        return String.format(Locale.ROOT, "The %s %s need cores instead: on %d worker %s they took %.2f s instead of "
                + "%.2f s (%s), %.2f s of it the pool's start-up%s.", number(computes), COMPUTES, workers,
                workers == 1 ? "process" : "processes", atOnce, alone, faster(alone, atOnce), mixed.startupSeconds(),
                limit);
    }

    /** The mixed run lasted as long as its slowest part ... */
    private static String slowestPart(DemoOutcome outcome) {
        RunResult mixed = outcome.mixed();
        String slowest = List.of(COMPUTES, DOWNLOADS, WAITS).stream()
                .max(Comparator.comparingDouble(mixed::longest)).orElseThrow();
        return String.format(Locale.ROOT, "The mixed run lasted as long as its slowest part, the %s (%.2f s; "
                + "%.2f s in all with the pool's shutdown), and so ran %.1fx faster than the sequential run.", slowest,
                mixed.longest(slowest), mixed.totalSeconds(), outcome.speedup());
    }

    /** A note when the waits say the machine was busy; empty otherwise. */
    private static String busy(DemoOutcome outcome) {
        RunResult sequential = outcome.sequential();
        RunResult mixed = outcome.mixed();
        long waitTasks = sequential.tasks().stream().filter(t -> t.task().kind() == DemoTask.Kind.WAIT).count();
        double perWait = 1e3 * sequential.summed(WAITS) / (waitTasks * outcome.settings().waits());
        List<String> notes = new ArrayList<>();
        if (perWait > BUSY_WAIT_MILLIS) {
            notes.add(String.format(Locale.ROOT, "A 1 ms wait took %.2f ms on average in the sequential run: the "
                    + "machine was busy, which stretches every wait.", perWait));
        }
        double aloneEach = sequential.summed(WAITS) / waitTasks;
        if (mixed.longest(WAITS) > CROWDED * aloneEach) {
            notes.add(String.format(Locale.ROOT, "At once the waits took longer than one alone (%.2f s against "
                    + "%.2f s): their wake-ups competed with the computes for the %d cores.", mixed.longest(WAITS),
                    aloneEach, Runtime.getRuntime().availableProcessors()));
        }
        return String.join(" ", notes);
    }

    private static String count(RunResult run, String family) {
        return number(run.tasks().stream().filter(t -> t.task().kind().family().equals(family)).count());
    }

    private static String number(long n) {
        return n >= 0 && n < NUMBERS.length ? NUMBERS[(int) n] : Long.toString(n);
    }

    /** {@code 4.0x faster}, {@code 1.3x slower}, or {@code about as fast}. */
    private static String faster(double before, double after) {
        double ratio = before / after;
        if (ratio >= 1.05) {
            return String.format(Locale.ROOT, "%.1fx faster", ratio);
        }
        if (ratio <= 0.95) {
            return String.format(Locale.ROOT, "%.1fx slower", 1 / ratio);
        }
        return "about as fast";
    }
}
