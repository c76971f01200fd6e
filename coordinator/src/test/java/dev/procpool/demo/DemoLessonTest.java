package dev.procpool.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The demo's closing paragraph, from made-up measurements: each sentence follows what was measured. */
class DemoLessonTest {

    private static final int WAITS = 1_000;
    private static final double QUIET = 0.1;
    private static final double[] TWO_ROUNDS = {0.6, 0.6, 1.05};

    @Test
    void waitsDominate_computesPay_theLessonSaysSoWithTheFigures() {
        DemoOutcome outcome = outcome(2, QUIET, sequential(0.45, 1.0, 0.2, 1.08), mixed(TWO_ROUNDS, 0.21, 1.09, 0.14));

        String lesson = DemoLesson.of(outcome);

        assertTrue(lesson.startsWith("The waits took most of the sequential run: 4.32 s of 6.48 s (67%), against "
                + "1.35 s for the computes and 0.80 s for the downloads."), lesson);
        assertTrue(lesson.contains("the four waits took 1.09 s instead of 4.32 s (4.0x faster) on virtual threads"),
                lesson);
        assertTrue(lesson.contains("the four downloads 0.21 s instead of 0.80 s (3.8x faster), two of them with no "
                + "thread of their own"), lesson);
        assertTrue(lesson.contains("on 2 worker processes they took 1.05 s instead of 1.35 s (1.3x faster), 0.14 s of "
                + "it the pool's start-up; with 2 workers, one of the computes waited for a free one."), lesson);
        assertTrue(lesson.contains("its slowest part, the waits (1.09 s;"), lesson);
        assertFalse(lesson.contains("disturbed"), lesson);
        assertFalse(lesson.contains("competed"), lesson);
    }

    @Test
    void computesShorterThanStartup_theStartupAteWhatRunningAtOnceSaved() {
        DemoOutcome outcome = outcome(2, QUIET, sequential(0.02, 1.0, 0.2, 1.08),
                mixed(new double[] {0.16, 0.16, 0.18}, 0.21, 1.09, 0.14));

        String lesson = DemoLesson.of(outcome);

        assertTrue(lesson.contains("The three computes gained nothing from processes: on 2 worker processes they "
                + "took 0.18 s against 0.06 s one after another in this JVM; running them at once saved 0.02 s, less "
                + "than the pool's start-up (0.14 s)"), lesson);
        assertFalse(lesson.contains("need cores"), lesson);
    }

    @Test
    void computesNoFasterEvenAfterStartup_saysTheWorkersDidNotGetTheirCores() {
        RunResult mixed = withWorkerCpu(mixed(new double[] {1.13, 1.61, 1.94}, 0.25, 1.24, 0.29), 1.35);
        DemoOutcome outcome = outcome(2, QUIET, sequential(0.45, 1.0, 0.2, 1.08), mixed);

        String lesson = DemoLesson.of(outcome);

        if (Runtime.getRuntime().availableProcessors() >= 2) {
            assertTrue(lesson.contains("on 2 worker processes they took 1.94 s against 1.35 s one after another in "
                    + "this JVM, and even after the pool's start-up (0.29 s) they ran 1.65 s (the workers used 1.35 "
                    + "CPU-seconds in those 1.65 s): the workers did not get the cores to compute side by side"),
                    lesson);
        }
    }

    @Test
    void oneWorker_processesOnlyAddTheirStartup() {
        DemoOutcome outcome = outcome(1, QUIET, sequential(0.45, 1.0, 0.2, 1.08),
                mixed(new double[] {0.6, 1.05, 1.5}, 0.21, 1.09, 0.14));

        String lesson = DemoLesson.of(outcome);

        assertTrue(lesson.contains("on 1 worker process they took 1.50 s against 1.35 s one after another in this "
                + "JVM; with one worker they run one after another there too, so processes only add their start-up "
                + "(0.14 s)."), lesson);
    }

    @Test
    void computesDominate_aWorkerEach_theComputesSetTheMixedRunsLength() {
        DemoOutcome outcome = outcome(3, QUIET, sequential(3.0, 1.0, 0.2, 1.08),
                mixed(new double[] {4.6, 4.6, 4.7}, 0.21, 1.09, 0.2));

        String lesson = DemoLesson.of(outcome);

        assertTrue(lesson.startsWith("The computes took most of the sequential run: 9.00 s"), lesson);
        assertTrue(lesson.contains("on 3 worker processes they took 4.70 s instead of 9.00 s (1.9x faster)"), lesson);
        if (Runtime.getRuntime().availableProcessors() < 3) {
            assertTrue(lesson.contains("three of them shared the"), lesson);
        }
        assertTrue(lesson.contains("its slowest part, the computes (4.70 s;"), lesson);
    }

    @Test
    void busyMachine_everySignIsNamed() {
        int cores = Runtime.getRuntime().availableProcessors();
        DemoOutcome outcome = outcome(2, 1.5 * cores, sequential(0.9, 0.5, 0.2, 2.5), mixed(TWO_ROUNDS, 0.21, 2.6, 0.14));

        String lesson = DemoLesson.of(outcome);

        assertTrue(lesson.contains(String.format(Locale.ROOT, "Other work disturbed these figures: the load average was %.1f on %d "
                + "cores when the demo started; the sequential computes got 50%% of a core; a 1 ms wait took 2.50 ms "
                + "on average in the sequential run.", 1.5 * cores, cores)), lesson);
    }

    @Test
    void waitsStretchedAtOnce_sayTheyCompetedForTheCores() {
        DemoOutcome outcome = outcome(2, QUIET, sequential(0.45, 1.0, 0.2, 1.08), mixed(TWO_ROUNDS, 0.21, 1.5, 0.14));

        String lesson = DemoLesson.of(outcome);

        assertTrue(lesson.contains("At once the waits took longer than one alone (1.50 s against 1.08 s)"), lesson);
        assertFalse(lesson.contains("disturbed"), lesson);
    }

    @Test
    void wrap_keepsLinesWithinTheWidth_andIndentsTheRest() {
        String lesson = DemoLesson.of(outcome(2, QUIET, sequential(0.45, 1.0, 0.2, 1.08),
                mixed(TWO_ROUNDS, 0.21, 1.09, 0.14)));

        List<String> lines = DemoReport.wrap(lesson, 4);

        assertTrue(lines.size() > 3, lines.toString());
        for (String line : lines) {
            assertTrue(line.length() <= DemoReport.WIDTH, line);
        }
        for (String line : lines.subList(1, lines.size())) {
            assertTrue(line.startsWith("    ") && !line.startsWith("     "), line);
        }
        assertEquals(lesson, String.join(" ", lines).replaceAll(" +", " "), "no word lost");
        for (String line : lines) {
            assertFalse(line.strip().startsWith("s ") || line.strip().startsWith("s,"), "a unit left alone: " + line);
        }
    }

    @Test
    void wrap_neverLeavesAUnitWithoutItsNumber() {
        String text = "a".repeat(72) + " 1.66 s, then 20 ms.";

        List<String> lines = DemoReport.wrap(text, 2);

        assertEquals(List.of("a".repeat(72), "  1.66 s, then 20 ms."), lines);
    }

    private static DemoOutcome outcome(int workers, double loadAverage, RunResult sequential, RunResult mixed) {
        DemoSettings settings = new DemoSettings(workers, 200_000_000, WAITS, Duration.ofMillis(200),
                DemoSettings.PAGE_BYTES);
        return new DemoOutcome(settings, URI.create("http://127.0.0.1:1/page/"), sequential, mixed, loadAverage);
    }

    /**
     * Each task alone: every compute, download and wait task takes the time given for its kind; a compute uses
     * {@code computeCoreShare} of a core while it runs, the others next to nothing.
     */
    private static RunResult sequential(double compute, double computeCoreShare, double download, double waits) {
        List<TaskTime> times = new ArrayList<>();
        double total = 0;
        for (DemoTask task : DemoTask.eleven()) {
            double seconds = switch (task.kind()) {
                case COMPUTE -> compute;
                case ASYNC_DOWNLOAD, BLOCKING_DOWNLOAD -> download;
                case WAIT -> waits;
            };
            total += seconds;
            double cpu = task.kind() == DemoTask.Kind.COMPUTE ? compute * computeCoreShare : 0.01;
            times.add(new TaskTime(task, SequentialRun.EXECUTOR, seconds, cpu, "main", false, "same"));
        }
        return new RunResult(times, total + 0.01, 0, 0, List.of(), Double.NaN);
    }

    /** All at once: the computes end at the times given, the downloads and waits at theirs. */
    private static RunResult mixed(double[] computes, double downloads, double waits, double startup) {
        List<TaskTime> times = new ArrayList<>();
        double last = 0;
        for (DemoTask task : DemoTask.eleven()) {
            double seconds = switch (task.kind()) {
                case COMPUTE -> computes[task.number() - 1];
                case ASYNC_DOWNLOAD, BLOCKING_DOWNLOAD -> downloads;
                case WAIT -> waits;
            };
            last = Math.max(last, seconds);
            times.add(new TaskTime(task, task.kind().executor(), seconds, Double.NaN, "t", false, "same"));
        }
        return new RunResult(times, last + 0.02, startup, 0.02, List.of(1L, 2L), Double.NaN);
    }

    private static RunResult withWorkerCpu(RunResult run, double cpuSeconds) {
        return new RunResult(run.tasks(), run.totalSeconds(), run.startupSeconds(), run.shutdownSeconds(),
                run.workerPids(), cpuSeconds);
    }
}
