package dev.procpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.Mode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lesson follows the measured CPU time against wall time, and quotes what processes cost. */
class LessonTest {

    private static ModeResult run(Mode mode, int workers, double wallSeconds, double startupSeconds, double cpuSeconds,
            double peak) {
        return new ModeResult(mode, workers, 8, Duration.ofMillis((long) (wallSeconds * 1000)),
                Duration.ofMillis((long) (startupSeconds * 1000)), cpuSeconds, Double.NaN, peak, "42");
    }

    @Test
    void busyCore_isCpuBound_andProcessesAreValuedForIsolation() {
        Lesson lesson = Lesson.of("sqrt", List.of(
                run(Mode.SEQUENTIAL, 1, 2.0, 0, 2.1, 60),
                run(Mode.THREADS, 2, 1.0, 0, 2.0, 70),
                run(Mode.PROCESSES, 2, 1.1, 0.08, 2.3, 86)));

        assertEquals("cpu-bound", lesson.kind());
        assertTrue(lesson.text().contains("sequential used 1.05 CPU-seconds per second"), lesson.text());
        assertTrue(lesson.text().contains("processes cost 0.08 s of start-up and 86 MiB of worker memory at 2 workers"),
                lesson.text());
        assertTrue(lesson.text().contains("isolation"), lesson.text());
    }

    @Test
    void idleCore_mostlyWaits_andThreadsBeyondTheCoresAreRecommended() {
        Lesson lesson = Lesson.of("sleep", List.of(
                run(Mode.SEQUENTIAL, 1, 4.0, 0, 0.2, 60),
                run(Mode.THREADS, 2, 2.0, 0, 0.05, 70),
                run(Mode.THREADS, 8, 0.5, 0, 0.02, 76),
                run(Mode.PROCESSES, 8, 0.86, 0.3, 0.7, 338)));

        assertEquals("waiting", lesson.kind());
        assertTrue(lesson.text().contains("(threads x8: 0.50 s)"), lesson.text());
        assertTrue(lesson.text().contains("processes only add cost: 0.30 s of start-up and 338 MiB"), lesson.text());
    }

    @Test
    void tasksOwnCpu_winsOverTheWholeRuns() {
        // A short waiting run in a JVM whose compiler was busy: the run used a whole core, the tasks almost nothing.
        ModeResult sequential = new ModeResult(Mode.SEQUENTIAL, 1, 8, Duration.ofMillis(200), Duration.ZERO, 0.22,
                0.004, 60, "20");

        assertEquals("waiting", Lesson.of("sleep", List.of(sequential)).kind());
    }

    @Test
    void halfBusy_isMixed() {
        assertEquals("mixed", Lesson.of("io", List.of(run(Mode.SEQUENTIAL, 1, 2.0, 0, 0.9, 60))).kind());
    }

    @Test
    void withoutSequential_threadsAreTheEvidence_perWorkerWithACore() {
        Lesson lesson = Lesson.of("primes", List.of(run(Mode.THREADS, 2, 1.0, 0, 1.98, 70)));

        assertEquals("cpu-bound", lesson.kind());
        assertTrue(lesson.text().contains("threads x2 used 0.99 CPU-seconds per second of wall time per worker"),
                lesson.text());
    }
}
