package dev.procpool.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's closing paragraph, from made-up measurements: each sentence follows what was measured. */
class DemoLessonTest {

    private static final int WAITS = 1_000;

    @Test
    void waitsDominate_computesPay_theLessonSaysSoWithTheFigures() {
        DemoOutcome outcome = outcome(2, sequential(0.45, 0.2, 1.08), mixed(new double[] {0.6, 0.6, 1.05}, 0.21, 1.09,
                0.14));

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
        assertFalse(lesson.contains("busy"), lesson);
    }

    @Test
    void computesShorterThanStartup_processesDidNotPay() {
        DemoOutcome outcome = outcome(2, sequential(0.02, 0.2, 1.08), mixed(new double[] {0.16, 0.16, 0.18}, 0.21,
                1.09, 0.14));

        String lesson = DemoLesson.of(outcome);

        assertTrue(lesson.contains("The three computes gained nothing from processes: on 2 worker processes they "
                + "took 0.18 s against 0.06 s one after another in this JVM, and the pool's start-up alone took 0.14 s"),
                lesson);
        assertFalse(lesson.contains("need cores"), lesson);
    }

    @Test
    void computesDominate_aWorkerEach_theComputesSetTheMixedRunsLength() {
        DemoOutcome outcome = outcome(3, sequential(3.0, 0.2, 1.08), mixed(new double[] {4.6, 4.6, 4.7}, 0.21, 1.09,
                0.2));

        String lesson = DemoLesson.of(outcome);

        assertTrue(lesson.startsWith("The computes took most of the sequential run: 9.00 s"), lesson);
        assertTrue(lesson.contains("on 3 worker processes they took 4.70 s instead of 9.00 s (1.9x faster)"), lesson);
        if (Runtime.getRuntime().availableProcessors() < 3) {
            assertTrue(lesson.contains("three of them shared the"), lesson);
        }
        assertTrue(lesson.contains("its slowest part, the computes (4.70 s;"), lesson);
    }

    @Test
    void slowWaits_sayTheMachineWasBusy() {
        DemoOutcome outcome = outcome(2, sequential(0.45, 0.2, 2.5), mixed(new double[] {0.6, 0.6, 1.05}, 0.21, 2.6,
                0.14));

        String lesson = DemoLesson.of(outcome);

        assertTrue(lesson.contains("A 1 ms wait took 2.50 ms on average in the sequential run: the machine was busy"),
                lesson);
    }

    @Test
    void waitsStretchedAtOnce_sayTheyCompetedForTheCores() {
        DemoOutcome outcome = outcome(2, sequential(0.45, 0.2, 1.08), mixed(new double[] {0.6, 0.6, 1.05}, 0.21, 1.5,
                0.14));

        String lesson = DemoLesson.of(outcome);

        assertTrue(lesson.contains("At once the waits took longer than one alone (1.50 s against 1.08 s)"), lesson);
    }

    @Test
    void wrap_keepsLinesWithinTheWidth_andIndentsTheRest() {
        String lesson = DemoLesson.of(outcome(2, sequential(0.45, 0.2, 1.08),
                mixed(new double[] {0.6, 0.6, 1.05}, 0.21, 1.09, 0.14)));

        List<String> lines = DemoReport.wrap(lesson, 4);

        assertTrue(lines.size() > 3, lines.toString());
        for (String line : lines) {
            assertTrue(line.length() <= DemoReport.WIDTH, line);
        }
        for (String line : lines.subList(1, lines.size())) {
            assertTrue(line.startsWith("    ") && !line.startsWith("     "), line);
        }
        assertTrue(String.join(" ", lines).replaceAll(" +", " ").equals(lesson), "no word lost");
    }

    private static DemoOutcome outcome(int workers, RunResult sequential, RunResult mixed) {
        DemoSettings settings = new DemoSettings(workers, 200_000_000, WAITS, Duration.ofMillis(200),
                DemoSettings.PAGE_BYTES);
        return new DemoOutcome(settings, URI.create("http://127.0.0.1:1/page/"), sequential, mixed);
    }

    /** Each task alone: every compute, download and wait task takes the time given for its kind. */
    private static RunResult sequential(double compute, double download, double waits) {
        List<TaskTime> times = new ArrayList<>();
        double total = 0;
        for (DemoTask task : DemoTask.eleven()) {
            double seconds = switch (task.kind()) {
                case COMPUTE -> compute;
                case ASYNC_DOWNLOAD, BLOCKING_DOWNLOAD -> download;
                case WAIT -> waits;
            };
            total += seconds;
            times.add(new TaskTime(task, SequentialRun.EXECUTOR, seconds, "main", false, "same"));
        }
        return new RunResult(times, total + 0.01, 0, 0, List.of());
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
            times.add(new TaskTime(task, task.kind().executor(), seconds, "t", false, "same"));
        }
        return new RunResult(times, last + 0.02, startup, 0.02, List.of(1L, 2L));
    }
}
