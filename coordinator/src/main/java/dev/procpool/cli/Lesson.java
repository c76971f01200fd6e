package dev.procpool.cli;

import dev.procpool.Mode;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a comparison says about its job, from what it measured: whether the job keeps a core busy (CPU time
 * against wall time) or mostly waits, and which way of running it suits it. Immutable.
 *
 * @param kind {@code cpu-bound}, {@code waiting}, {@code mixed}, or {@code unknown} when nothing ran
 * @param text the advice, in a sentence or two, with the figures it rests on
 */
record Lesson(String kind, String text) {

    /** CPU-seconds per wall-second per worker above which a job is CPU-bound, and below which it mostly waits. */
    static final double CPU_BOUND = 0.6;
    static final double WAITING = 0.3;

    static Lesson of(String job, List<ModeResult> results) {
        Optional<ModeResult> reference = results.stream().filter(r -> r.mode() == Mode.SEQUENTIAL).findFirst()
                .or(() -> results.stream().filter(r -> r.mode() == Mode.THREADS).findFirst())
                .or(() -> results.stream().findFirst());
        if (reference.isEmpty()) {
            return new Lesson("unknown", "nothing ran");
        }
        ModeResult measured = reference.get();
        double busy = measured.busy();
        String evidence = String.format(Locale.ROOT, "%s%s used %.2f CPU-seconds per second of wall time%s",
                measured.mode().label(), measured.mode() == Mode.SEQUENTIAL ? "" : " x" + measured.workers(), busy,
                measured.workers() == 1 ? "" : " per worker");
        String processes = processCost(results);
        if (busy >= CPU_BOUND) {
            int cores = Runtime.getRuntime().availableProcessors();
            return new Lesson("cpu-bound", job + " is CPU-bound: " + evidence + ". More workers than the " + cores
                    + " cores cannot speed it up. Threads run it most cheaply; processes "
                    + (processes.isEmpty() ? "add start-up" : "cost " + processes)
                    + ", and buy isolation: a crash, an out-of-memory error or a hang costs one worker, not the run.");
        }
        String threads = fastestThreads(results);
        if (busy <= WAITING) {
            return new Lesson("waiting", job + " mostly waits: " + evidence + ". More threads than cores help it"
                    + threads + (processes.isEmpty() ? "" : "; processes only add cost: " + processes)
                    + ". Use threads, or asynchronous I/O.");
        }
        return new Lesson("mixed", job + " both computes and waits: " + evidence
                + ". A few more threads than cores may help it" + threads
                + (processes.isEmpty() ? "" : "; processes cost " + processes + ", and pay off only for isolation")
                + ".");
    }

    /** {@code 0.29 s of start-up and 338 MiB of worker memory at 8 workers}; empty if no processes ran. */
    private static String processCost(List<ModeResult> results) {
        return results.stream().filter(r -> r.mode() == Mode.PROCESSES)
                .max(Comparator.comparingInt(ModeResult::workers))
                .map(p -> String.format(Locale.ROOT, "%.2f s of start-up%s at %d workers", p.startupSeconds(),
                        Double.isNaN(p.peakMebibytes()) ? ""
                                : String.format(Locale.ROOT, " and %.0f MiB of worker memory", p.peakMebibytes()),
                        p.workers()))
                .orElse("");
    }

    /** {@code  (threads x8: 0.50 s)} for the fastest threads run; empty if none ran. */
    private static String fastestThreads(List<ModeResult> results) {
        return results.stream().filter(r -> r.mode() == Mode.THREADS)
                .min(Comparator.comparingDouble(ModeResult::wallSeconds))
                .map(r -> String.format(Locale.ROOT, " (threads x%d: %.2f s)", r.workers(), r.wallSeconds()))
                .orElse("");
    }
}
