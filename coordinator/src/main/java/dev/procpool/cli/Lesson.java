package dev.procpool.cli;

import dev.procpool.Mode;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What a comparison says about its job, from what it measured. Whether the job computes or waits rests on its tasks'
 * own CPU time against the time they could run (their wall time less the time they waited for a core), measured on
 * the threads that ran them: a busy machine makes tasks wait for a core, not compute less, so the verdict holds on
 * one. Which way to run it rests on the runs' wall times, and then only on runs that beat sequential; when a parallel
 * run beat sequential by more than its workers can give, the sequential run was slowed by something else, and the
 * lesson says so instead of comparing. Immutable.
 *
 * @param kind {@code cpu-bound}, {@code waiting}, {@code mixed}, or {@code unknown} when nothing was measured
 * @param text the lesson, in a few sentences, with the figures it rests on
 */
record Lesson(String kind, String text) {

    /** CPU-seconds per second the tasks could run at or above which a job is CPU-bound. */
    static final double CPU_BOUND = 0.6;
    /** ... and at or below which it mostly waits. */
    static final double WAITING = 0.3;
    /** Efficiency above which a parallel run got more from its workers than they can give. */
    static final double DISTURBED = 1.05;
    /** The share of their time tasks waited for a core above which the lesson mentions it. */
    static final double NOTABLE_READY = 0.05;
    /** Wall times closer than this share are a tie: which one won is noise. */
    static final double CLOSE_CALL = 0.05;

    private static final String ISOLATION = "buy isolation: a crash, an out-of-memory error or a hang costs one "
            + "worker, not the run";

    static Lesson of(String job, List<ModeResult> results, int cores) {
        Optional<ModeResult> baseline = results.stream().filter(r -> r.mode() == Mode.SEQUENTIAL).findFirst();
        List<ModeResult> measured = baseline.filter(r -> r.taskTime().known()).map(List::of)
                .orElseGet(() -> results.stream().filter(r -> r.taskTime().known()).toList());
        if (measured.isEmpty()) {
            return new Lesson("unknown", results.isEmpty() ? "nothing ran"
                    : "The tasks' CPU time was not measured, so whether " + job + " computes or waits is unknown.");
        }
        TaskTime time = measured.stream().map(ModeResult::taskTime).reduce(TaskTime::plus).orElseThrow();
        double computing = time.computing();
        String kind = computing >= CPU_BOUND ? "cpu-bound" : computing <= WAITING ? "waiting" : "mixed";
        String verdict = switch (kind) {
            case "cpu-bound" -> job + " is CPU-bound";
            case "waiting" -> job + " mostly waits";
            default -> job + " both computes and waits";
        };
        StringBuilder text = new StringBuilder(verdict).append(": ").append(evidence(measured, time)).append('.');
        List<ModeResult> parallel = results.stream().filter(r -> r.mode() != Mode.SEQUENTIAL).toList();
        if (baseline.isPresent()) {
            Optional<ModeResult> tooGood = parallel.stream()
                    .max(Comparator.comparingDouble(r -> r.efficiency(baseline.get())))
                    .filter(r -> r.efficiency(baseline.get()) > DISTURBED);
            if (tooGood.isPresent()) {
                return new Lesson(kind, text.append(' ').append(disturbed(tooGood.get(), baseline.get())).toString());
            }
        }
        if (parallel.isEmpty()) {
            return new Lesson(kind, text.append(" --mode=compare measures threads, virtual threads and processes "
                    + "against it.").toString());
        }
        List<ModeResult> faster = baseline.map(b -> parallel.stream().filter(r -> r.speedup(b) > 1).toList())
                .orElse(parallel);
        if (faster.isEmpty()) {
            ModeResult best = fastest(parallel, r -> true).orElseThrow();
            return new Lesson(kind, text.append(String.format(Locale.ROOT, " None of the parallel runs beat "
                    + "sequential here (the fastest, %s, ran at %.2fx): run it sequentially.", best.label(),
                    best.speedup(baseline.orElseThrow()))).toString());
        }
        String advice = switch (kind) {
            case "cpu-bound" -> cpuBoundAdvice(faster, parallel, baseline.orElse(null), cores);
            case "waiting" -> waitingAdvice(faster, parallel);
            default -> mixedAdvice(faster, parallel);
        };
        return new Lesson(kind, text.append(' ').append(advice).toString());
    }

    /** {@code in the sequential run its tasks used 0.99 CPU-seconds per second of their wall time, ...}. */
    private static String evidence(List<ModeResult> measured, TaskTime time) {
        Set<String> modes = measured.stream().map(r -> r.mode().label()).collect(Collectors.toCollection(LinkedHashSet::new));
        String runs = modes.size() == 1 ? "the " + modes.iterator().next() + " run" + (measured.size() > 1 ? "s" : "")
                : "the " + String.join(", ", List.copyOf(modes).subList(0, modes.size() - 1)) + " and "
                        + List.copyOf(modes).get(modes.size() - 1) + " runs";
        String evidence = String.format(Locale.ROOT, "in %s its tasks used %.2f CPU-seconds per second of their wall "
                + "time", runs, time.computing());
        if (time.readyShare() >= NOTABLE_READY) {
            evidence += String.format(Locale.ROOT, ", leaving out the %.2f s (%.0f%%) they waited for a core that "
                    + "other threads or programs held", time.readySeconds(), 100 * time.readyShare());
        }
        return evidence;
    }

    /**
     * Why the comparison is not drawn. Time its tasks waited for a core tells a loaded machine; without it, the likely
     * cause is warm-up, since the sequential run comes first, while the JIT compiler is still compiling the job.
     */
    private static String disturbed(ModeResult tooGood, ModeResult baseline) {
        TaskTime tasks = baseline.taskTime();
        boolean loaded = tasks.readyShare() >= NOTABLE_READY;
        String cause = loaded
                ? String.format(Locale.ROOT, "Its tasks waited %.2f s (%.0f%%) for a core that other threads or programs "
                        + "held", tasks.readySeconds(), 100 * tasks.readyShare())
                : "Its tasks hardly waited for a core, so the likely cause is warm-up: the sequential run comes first, "
                        + "while the JIT compiler is still compiling the job";
        return String.format(Locale.ROOT, "But the sequential run was slower than the others can account for: %s ran "
                + "%.2f times as fast with %s, more than they can give (efficiency %.2f). %s; so the speedups overstate "
                + "what the modes buy: run it again %s before comparing them.", tooGood.label(),
                tooGood.speedup(baseline), workers(tooGood.workers()), tooGood.efficiency(baseline), cause,
                loaded ? "on a quieter machine" : "with a larger --size");
    }

    private static String cpuBoundAdvice(List<ModeResult> faster, List<ModeResult> parallel, ModeResult baseline,
            int cores) {
        StringBuilder advice = new StringBuilder("More workers than the " + cores + " cores cannot speed it up.");
        // Platform or virtual: a computing task holds a core either way, so both are named, fastest first.
        List<String> inProcess = bestOfEach(faster, List.of(Mode.THREADS, Mode.VIRTUAL)).stream()
                .map(r -> timing(r, baseline)).toList();
        if (!inProcess.isEmpty()) {
            advice.append(" Threads in this JVM run it most cheaply (").append(String.join("; ", inProcess)).append(')');
        }
        Optional<ModeResult> processes = fastest(faster, r -> r.mode() == Mode.PROCESSES);
        Optional<ModeResult> slowProcesses = fastest(parallel, r -> r.mode() == Mode.PROCESSES);
        String join = !inProcess.isEmpty() ? "; processes " : " Processes ";
        if (processes.isPresent()) {
            advice.append(join).append("cost ").append(processCost(processes.get())).append(" (")
                    .append(timing(processes.get(), baseline)).append("), and ").append(ISOLATION);
        } else if (slowProcesses.isPresent()) {
            advice.append(join).append("ran it no faster than sequential here (")
                    .append(timing(slowProcesses.get(), baseline)).append(")");
        }
        return advice.append('.').toString();
    }

    private static String waitingAdvice(List<ModeResult> faster, List<ModeResult> parallel) {
        StringBuilder advice = new StringBuilder("More threads than cores help it");
        List<ModeResult> inProcess = bestOfEach(faster, List.of(Mode.VIRTUAL, Mode.THREADS));
        if (!inProcess.isEmpty()) {
            advice.append(" (").append(inProcess.stream().map(Lesson::withThreads).collect(Collectors.joining("; ")))
                    .append(')');
        }
        Optional<ModeResult> processes = fastest(parallel, r -> r.mode() == Mode.PROCESSES);
        processes.ifPresent(p -> advice.append("; processes only add cost: ").append(processCost(p)));
        if (!inProcess.isEmpty()) {
            advice.append(". Use ").append(use(inProcess)).append(", or asynchronous I/O");
        }
        return advice.append('.').toString();
    }

    private static String mixedAdvice(List<ModeResult> faster, List<ModeResult> parallel) {
        StringBuilder advice = new StringBuilder("A few more threads than cores may help it");
        fastest(faster, Lesson::inProcess).ifPresent(r -> advice.append(" (").append(withThreads(r)).append(')'));
        fastest(parallel, r -> r.mode() == Mode.PROCESSES).ifPresent(p -> advice.append("; processes cost ")
                .append(processCost(p)).append(", and pay off only for isolation"));
        return advice.append('.').toString();
    }

    /** The kind of thread that waited fastest, or both when they were within a few percent of each other. */
    private static String use(List<ModeResult> bestOfEachFastestFirst) {
        ModeResult best = bestOfEachFastestFirst.get(0);
        String name = best.mode() == Mode.VIRTUAL ? "virtual threads" : "threads";
        if (bestOfEachFastestFirst.size() > 1
                && bestOfEachFastestFirst.get(1).wallSeconds() <= best.wallSeconds() * (1 + CLOSE_CALL)) {
            return "threads or virtual threads";
        }
        return name;
    }

    private static boolean inProcess(ModeResult result) {
        return result.mode() == Mode.THREADS || result.mode() == Mode.VIRTUAL;
    }

    /** The fastest run of each of {@code modes} that ran, fastest first. */
    private static List<ModeResult> bestOfEach(List<ModeResult> runs, List<Mode> modes) {
        return modes.stream().flatMap(mode -> fastest(runs, r -> r.mode() == mode).stream())
                .sorted(Comparator.comparingDouble(ModeResult::wallSeconds)).toList();
    }

    private static Optional<ModeResult> fastest(List<ModeResult> runs, Predicate<ModeResult> which) {
        return runs.stream().filter(which).min(Comparator.comparingDouble(ModeResult::wallSeconds));
    }

    /** {@code threads x2: 1.96x}, or the wall time without a baseline. */
    private static String timing(ModeResult run, ModeResult baseline) {
        return baseline == null ? String.format(Locale.ROOT, "%s: %.2f s", run.label(), run.wallSeconds())
                : String.format(Locale.ROOT, "%s: %.2fx", run.label(), run.speedup(baseline));
    }

    /** {@code virtual x10000: 0.31 s with 25 threads}. */
    private static String withThreads(ModeResult run) {
        return String.format(Locale.ROOT, "%s: %.2f s%s", run.label(), run.wallSeconds(), run.peakThreads().isPresent()
                ? String.format(Locale.ROOT, " with %,d threads", run.peakThreads().getAsInt()) : "");
    }

    /** {@code 0.29 s of start-up and 338 MiB of worker memory at 8 workers}. */
    private static String processCost(ModeResult processes) {
        return String.format(Locale.ROOT, "%.2f s of start-up%s at %s", processes.startupSeconds(),
                Double.isNaN(processes.peakMebibytes()) ? ""
                        : String.format(Locale.ROOT, " and %.0f MiB of worker memory", processes.peakMebibytes()),
                workers(processes.workers()));
    }

    /** {@code 1 worker}, {@code 8 workers}. */
    static String workers(int count) {
        return count == 1 ? "1 worker" : count + " workers";
    }
}
