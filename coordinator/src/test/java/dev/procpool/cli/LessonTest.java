package dev.procpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.Mode;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The lesson from constructed measurements: the verdict follows the tasks' own CPU time against the time they could
 * run, advice names only modes that beat sequential, and a disturbed baseline is called out instead of compared.
 */
class LessonTest {

    private static final int CORES = 2;

    /** A run whose tasks took {@code taskWall} seconds, of which {@code taskCpu} on a core and {@code ready} waiting for one. */
    private static ModeResult run(Mode mode, int workers, double wallSeconds, double taskWall, double taskCpu,
            double ready) {
        return run(mode, workers, wallSeconds, 0, 60, new TaskTime(taskWall, taskCpu, ready));
    }

    private static ModeResult run(Mode mode, int workers, double wallSeconds, double startupSeconds, double peak,
            TaskTime tasks) {
        return new ModeResult(mode, workers, 8, Duration.ofMillis(Math.round(wallSeconds * 1000)),
                Duration.ofMillis(Math.round(startupSeconds * 1000)), wallSeconds * workers, peak,
                OptionalInt.of(20 + workers), tasks, "42");
    }

    private static ModeResult processes(int workers, double wallSeconds, double startupSeconds, double peak,
            double taskWall, double taskCpu) {
        return run(Mode.PROCESSES, workers, wallSeconds, startupSeconds, peak, new TaskTime(taskWall, taskCpu, 0));
    }

    @Test
    void computingTasks_areCpuBound_threadsAdvised_processesValuedForIsolation() {
        Lesson lesson = Lesson.of("sqrt", List.of(
                run(Mode.SEQUENTIAL, 1, 2.0, 2.0, 1.98, 0),
                run(Mode.THREADS, 2, 1.0, 2.0, 1.98, 0),
                run(Mode.VIRTUAL, 2, 1.02, 2.0, 1.97, 0),
                processes(2, 1.1, 0.08, 86, 1.9, 1.9)), CORES);

        assertEquals("cpu-bound", lesson.kind());
        assertTrue(lesson.text().startsWith("sqrt is CPU-bound: in the sequential run its tasks used 0.99 "
                + "CPU-seconds per second of their wall time."), lesson.text());
        assertTrue(lesson.text().contains("More workers than the 2 cores cannot speed it up."), lesson.text());
        assertTrue(lesson.text().contains("Threads in this JVM run it most cheaply (threads x2: 2.00x; virtual x2: 1.96x)"),
                lesson.text());
        assertTrue(lesson.text().contains("processes cost 0.08 s of start-up and 86 MiB of worker memory at 2 workers "
                + "(processes x2: 1.82x), and buy isolation"), lesson.text());
    }

    @Test
    void computingTasksOnABusyMachine_areStillCpuBound_andTheWaitForACoreIsShown() {
        // Other programs held a core half the time: the tasks waited for one, they did not wait for I/O.
        Lesson lesson = Lesson.of("sqrt", List.of(
                run(Mode.SEQUENTIAL, 1, 4.0, 4.0, 2.0, 1.96),
                run(Mode.THREADS, 2, 2.1, 4.0, 2.0, 1.9)), CORES);

        assertEquals("cpu-bound", lesson.kind());
        assertFalse(lesson.text().contains("both computes and waits"), lesson.text());
        assertTrue(lesson.text().contains("leaving out the 1.96 s (49%) they waited for a core"), lesson.text());
    }

    @Test
    void waitingTasks_mostlyWait_theFasterOfVirtualAndPlatformThreadsIsAdvised_processesOnlyCost() {
        Lesson lesson = Lesson.of("sleep", List.of(
                run(Mode.SEQUENTIAL, 1, 100.0, 100.0, 0.2, 0),
                run(Mode.THREADS, 10_000, 6.3, 100.0, 0.9, 0.1),
                run(Mode.VIRTUAL, 10_000, 0.31, 100.0, 0.3, 0),
                processes(200, 2.5, 1.9, 8_000, 100.0, 0.7)), CORES);

        assertEquals("waiting", lesson.kind());
        assertTrue(lesson.text().contains("More threads than cores help it (virtual x10000: 0.31 s with 10,020 threads; "
                + "threads x10000: 6.30 s with 10,020 threads)"), lesson.text());
        assertTrue(lesson.text().contains("processes only add cost: 1.90 s of start-up and 8000 MiB of worker memory "
                + "at 200 workers"), lesson.text());
        assertTrue(lesson.text().endsWith("Use virtual threads, or asynchronous I/O."), lesson.text());
    }

    @Test
    void waitingTasks_virtualAndPlatformThreadsAsFast_bothAreNamed() {
        Lesson lesson = Lesson.of("sleep", List.of(
                run(Mode.SEQUENTIAL, 1, 4.0, 4.0, 0.01, 0),
                run(Mode.THREADS, 8, 0.503, 4.0, 0.01, 0),
                run(Mode.VIRTUAL, 8, 0.502, 4.0, 0.01, 0)), CORES);

        assertTrue(lesson.text().endsWith("Use threads or virtual threads, or asynchronous I/O."), lesson.text());
    }

    @Test
    void halfComputingTasks_areMixed() {
        Lesson lesson = Lesson.of("io", List.of(
                run(Mode.SEQUENTIAL, 1, 2.0, 2.0, 0.9, 0),
                run(Mode.THREADS, 4, 0.8, 2.0, 0.9, 0)), CORES);

        assertEquals("mixed", lesson.kind());
        assertTrue(lesson.text().contains("both computes and waits"), lesson.text());
        assertTrue(lesson.text().contains("A few more threads than cores may help it (threads x4: 0.80 s"),
                lesson.text());
    }

    @Test
    void parallelRunBeyondWhatItsWorkersCanGive_baselineIsCalledDisturbed_andNoModeIsAdvised() {
        // 2.32 times as fast with 2 workers: the sequential run was slowed by something else.
        Lesson lesson = Lesson.of("sqrt", List.of(
                run(Mode.SEQUENTIAL, 1, 2.32, 2.32, 2.0, 0.3),
                run(Mode.THREADS, 2, 1.0, 2.0, 1.98, 0)), CORES);

        assertEquals("cpu-bound", lesson.kind());
        assertTrue(lesson.text().contains("But the sequential run was slower than the others can account for: "
                + "threads x2 ran 2.32 times as fast with 2 workers, more than they can give (efficiency 1.16). Its tasks "
                + "waited 0.30 s (13%) for a core that other threads or programs held;"), lesson.text());
        assertTrue(lesson.text().endsWith("run it again on a quieter machine before comparing them."), lesson.text());
        assertFalse(lesson.text().contains("most cheaply"), lesson.text());
        assertFalse(lesson.text().contains("Use "), lesson.text());
    }

    @Test
    void disturbedBaselineThatNeverWaitedForACore_isPutDownToWarmUp() {
        Lesson lesson = Lesson.of("collatz", List.of(
                run(Mode.SEQUENTIAL, 1, 0.82, 0.8, 0.8, 0),
                run(Mode.THREADS, 2, 0.387, 0.76, 0.76, 0)), CORES);

        assertTrue(lesson.text().contains("Its tasks hardly waited for a core, so the likely cause is warm-up"),
                lesson.text());
        assertTrue(lesson.text().endsWith("run it again with a larger --size before comparing them."), lesson.text());
    }

    @Test
    void everyParallelRunSlowerThanSequential_sequentialIsAdvised() {
        Lesson lesson = Lesson.of("sqrt", List.of(
                run(Mode.SEQUENTIAL, 1, 1.0, 1.0, 1.0, 0),
                run(Mode.THREADS, 2, 1.1, 1.0, 1.0, 0),
                processes(2, 1.3, 0.3, 84, 1.0, 1.0)), CORES);

        assertTrue(lesson.text().contains("None of the parallel runs beat sequential here (the fastest, threads x2, ran "
                + "at 0.91x): run it sequentially."), lesson.text());
        assertFalse(lesson.text().contains("most cheaply"), lesson.text());
    }

    @Test
    void threadsSlowerThanSequential_areNotAdvised_evenWhenProcessesBeatIt() {
        Lesson lesson = Lesson.of("sqrt", List.of(
                run(Mode.SEQUENTIAL, 1, 1.0, 1.0, 1.0, 0),
                run(Mode.THREADS, 2, 1.05, 1.0, 1.0, 0),
                processes(2, 0.7, 0.1, 84, 1.0, 1.0)), CORES);

        assertFalse(lesson.text().contains("Threads"), lesson.text());
        assertTrue(lesson.text().contains(" Processes cost 0.10 s of start-up and 84 MiB of worker memory at 2 workers"
                + " (processes x2: 1.43x)"), lesson.text());
    }

    @Test
    void slowProcesses_areSaidToBeSlow_notAdvised() {
        Lesson lesson = Lesson.of("sqrt", List.of(
                run(Mode.SEQUENTIAL, 1, 1.0, 1.0, 1.0, 0),
                run(Mode.THREADS, 2, 0.5, 1.0, 1.0, 0),
                processes(2, 1.2, 0.4, 84, 1.0, 1.0)), CORES);

        assertTrue(lesson.text().contains("; processes ran it no faster than sequential here (processes x2: 0.83x)."),
                lesson.text());
        assertFalse(lesson.text().contains("isolation"), lesson.text());
    }

    @Test
    void oneWorker_isSingular() {
        Lesson lesson = Lesson.of("sqrt", List.of(
                run(Mode.SEQUENTIAL, 1, 2.0, 2.0, 2.0, 0),
                processes(1, 1.95, 0.1, 42, 1.8, 1.8)), CORES);

        assertTrue(lesson.text().contains("at 1 worker "), lesson.text());
        assertFalse(lesson.text().contains("1 workers"), lesson.text());
    }

    @Test
    void withoutSequential_everyMeasuredRunIsTheEvidence() {
        Lesson lesson = Lesson.of("primes", List.of(
                run(Mode.THREADS, 2, 1.0, 2.0, 1.96, 0),
                processes(2, 1.1, 0.1, 84, 2.0, 2.0)), CORES);

        assertEquals("cpu-bound", lesson.kind());
        assertTrue(lesson.text().contains("in the threads and processes runs its tasks used 0.99 CPU-seconds"),
                lesson.text());
        assertTrue(lesson.text().contains("(threads x2: 1.00 s)"), lesson.text());
    }

    @Test
    void virtualThreadsWithoutCarrierCpu_areUnknown() {
        Lesson lesson = Lesson.of("sleep", List.of(run(Mode.VIRTUAL, 100, 0.2, 20.0, Double.NaN, 0)), CORES);

        assertEquals("unknown", lesson.kind());
        assertTrue(lesson.text().contains("not measured"), lesson.text());
    }

    @Test
    void sequentialAlone_pointsToCompare() {
        Lesson lesson = Lesson.of("sleep", List.of(run(Mode.SEQUENTIAL, 1, 0.3, 0.3, 0.002, 0)), CORES);

        assertEquals("waiting", lesson.kind());
        assertTrue(lesson.text().endsWith("--mode=compare measures threads, virtual threads and processes against it."),
                lesson.text());
    }

    @Test
    void nothing_isUnknown() {
        assertEquals(new Lesson("unknown", "nothing ran"), Lesson.of("sqrt", List.of(), CORES));
    }
}
