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
    /** A load average of this many per core, before the demo ran, says other programs wanted the cores. */
    private static final double BUSY_LOAD = 1.0;
    /** A compute that got less than this share of a core was slowed by other work. */
    private static final double WHOLE_CORE = 0.9;
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
        String disturbed = disturbed(outcome);
        if (!disturbed.isEmpty()) {
            sentences.add(disturbed);
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

    /**
     * What the worker processes bought the computes, start-up included; or, when they bought nothing, whether the
     * start-up ate what running at once saved or the computing itself was no faster.
     */
    private static String computing(DemoOutcome outcome) {
        RunResult sequential = outcome.sequential();
        RunResult mixed = outcome.mixed();
        int workers = outcome.settings().workers();
        long computes = mixed.count(COMPUTES);
        String pool = String.format(Locale.ROOT, "on %d worker %s", workers, workers == 1 ? "process" : "processes");
        double alone = sequential.summed(COMPUTES);
        double atOnce = mixed.longest(COMPUTES);
        double startup = mixed.startupSeconds();
        double running = atOnce - startup;
        if (atOnce < 0.95 * alone) {
            return String.format(Locale.ROOT, "The %s %s need cores instead: %s they took %.2f s instead of %.2f s "
                    + "(%s), %.2f s of it the pool's start-up%s.", number(computes), COMPUTES, pool, atOnce, alone,
                    faster(alone, atOnce), startup, coreLimit(workers, computes));
        }
        String nothing = String.format(Locale.ROOT, "The %s %s gained nothing from processes: %s they took %.2f s "
                + "against %.2f s one after another in this JVM", number(computes), COMPUTES, pool, atOnce, alone);
        int cores = Runtime.getRuntime().availableProcessors();
        if (Math.min(workers, cores) == 1) {
            return String.format(Locale.ROOT, "%s; with one %s they run one after another there too, so processes "
                    + "only add their start-up (%.2f s).", nothing, workers == 1 ? "worker" : "core", startup);
        }
        if (running < 0.95 * alone) {
            return String.format(Locale.ROOT, "%s; running them at once saved %.2f s, less than the pool's start-up "
                    + "(%.2f s): processes pay only when the computing they share out outweighs their start-up.",
                    nothing, alone - running, startup);
        }
        String cpu = Double.isNaN(mixed.workerCpuSeconds()) ? ""
                : String.format(Locale.ROOT, " (the workers used %.2f CPU-seconds in those %.2f s)",
                        mixed.workerCpuSeconds(), running);
        return String.format(Locale.ROOT, "%s, and even after the pool's start-up (%.2f s) they ran %.2f s%s: the "
                + "workers did not get the cores to compute side by side; other work held them.", nothing, startup,
                running, cpu);
    }

    /** Why not every compute had a core of its own: too few workers, or too few cores; empty if each had. */
    private static String coreLimit(int workers, long computes) {
        int cores = Runtime.getRuntime().availableProcessors();
        if (computes > workers) {
            return String.format(Locale.ROOT, "; with %d %s, %s of the %s waited for a free one", workers,
                    workers == 1 ? "worker" : "workers", number(computes - workers), COMPUTES);
        }
        if (computes > cores) {
            return String.format(Locale.ROOT, "; %s of them shared the %d cores", number(computes), cores);
        }
        return "";
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

    /**
     * What says that other work disturbed the figures: a machine already loaded when the demo started, sequential
     * computes that did not get a whole core, 1 ms waits that took much longer; and waits that took longer at once
     * than alone. Empty when nothing does.
     */
    private static String disturbed(DemoOutcome outcome) {
        RunResult sequential = outcome.sequential();
        RunResult mixed = outcome.mixed();
        int cores = Runtime.getRuntime().availableProcessors();
        List<String> signs = new ArrayList<>();
        if (outcome.loadAverage() >= BUSY_LOAD * cores) {
            signs.add(String.format(Locale.ROOT, "the load average was %.1f on %d cores when the demo started",
                    outcome.loadAverage(), cores));
        }
        double computeShare = sequential.cpu(COMPUTES) / sequential.summed(COMPUTES);
        if (computeShare < WHOLE_CORE) {
            signs.add(String.format(Locale.ROOT, "the sequential computes got %.0f%% of a core", 100 * computeShare));
        }
        double perWait = 1e3 * sequential.summed(WAITS) / (sequential.count(WAITS) * outcome.settings().waits());
        if (perWait > BUSY_WAIT_MILLIS) {
            signs.add(String.format(Locale.ROOT, "a 1 ms wait took %.2f ms on average in the sequential run",
                    perWait));
        }
        List<String> sentences = new ArrayList<>();
        if (!signs.isEmpty()) {
            sentences.add("Other work disturbed these figures: " + String.join("; ", signs) + ".");
        }
        double aloneEach = sequential.summed(WAITS) / sequential.count(WAITS);
        if (mixed.longest(WAITS) > CROWDED * aloneEach) {
            sentences.add(String.format(Locale.ROOT, "At once the waits took longer than one alone (%.2f s against "
                    + "%.2f s): their wake-ups competed with the rest of the run for the %d cores.",
                    mixed.longest(WAITS), aloneEach, cores));
        }
        return String.join(" ", sentences);
    }

    private static String count(RunResult run, String family) {
        return number(run.count(family));
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
