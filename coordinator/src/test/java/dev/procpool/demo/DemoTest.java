package dev.procpool.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.procpool.jobs.DemoSqrtJob;
import dev.procpool.testing.TestPools;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo at small sizes, with real worker JVMs and a real page server: what ran where, what each run measured
 * and how the reports carry it. Timings are checked only where they follow from the work itself (a task cannot end
 * before its own waits have passed), never against each other.
 */
@Timeout(120)
class DemoTest {

    private static final long TURNS = 300_000;
    private static final int WAITS = 20;
    private static final Duration LATENCY = Duration.ofMillis(30);
    private static final int WORKERS = 2;

    private static DemoOutcome outcome;

    @BeforeAll
    @Timeout(120)
    static void runTheDemo() throws Exception {
        DemoSettings settings = new DemoSettings(WORKERS, TURNS, WAITS, LATENCY, DemoSettings.PAGE_BYTES);
        outcome = Demo.run(settings, TestPools.builder(WORKERS));
    }

    @Test
    void bothRuns_elevenTasks_inTheClassicsMix() {
        for (RunResult run : List.of(outcome.sequential(), outcome.mixed())) {
            assertEquals(DemoTask.eleven(), run.tasks().stream().map(TaskTime::task).toList());
            Map<DemoTask.Kind, Long> kinds = run.tasks().stream()
                    .collect(Collectors.groupingBy(t -> t.task().kind(), Collectors.counting()));
            assertEquals(Map.of(DemoTask.Kind.COMPUTE, 3L, DemoTask.Kind.ASYNC_DOWNLOAD, 2L,
                    DemoTask.Kind.BLOCKING_DOWNLOAD, 2L, DemoTask.Kind.WAIT, 4L), kinds);
        }
    }

    @Test
    void sequentialRun_everyTaskOnTheCallingThread() {
        for (TaskTime time : outcome.sequential().tasks()) {
            assertEquals(SequentialRun.EXECUTOR, time.executor(), time.toString());
            assertEquals(outcome.sequential().tasks().get(0).thread(), time.thread(), "one thread for all");
            assertFalse(time.thread().startsWith("procpool-demo-"), time.toString());
        }
        assertEquals(0, outcome.sequential().startupSeconds());
        assertTrue(outcome.sequential().workerPids().isEmpty());
        for (TaskTime compute : tasksOf(outcome.sequential(), DemoTask.Kind.COMPUTE)) {
            // Measured on the thread that computed, so never more than the wall time it took.
            assertTrue(compute.cpuSeconds() > 0 && compute.cpuSeconds() <= compute.seconds() + 0.01, compute.toString());
        }
    }

    @Test
    void mixedRun_waitsOnVirtualThreads() {
        for (TaskTime time : tasksOf(outcome.mixed(), DemoTask.Kind.WAIT)) {
            assertEquals("virtual thread", time.executor());
            assertTrue(time.virtual(), time.toString());
            assertTrue(time.thread().startsWith("procpool-demo-wait-"), time.toString());
        }
    }

    @Test
    void mixedRun_blockingDownloadsOnPlatformThreads() {
        for (TaskTime time : tasksOf(outcome.mixed(), DemoTask.Kind.BLOCKING_DOWNLOAD)) {
            assertEquals("platform thread", time.executor());
            assertFalse(time.virtual(), time.toString());
            assertTrue(time.thread().startsWith("procpool-demo-download-"), time.toString());
        }
    }

    @Test
    void mixedRun_asyncDownloadsCompletedByTheClientNotByAThreadOfOurs() {
        for (TaskTime time : tasksOf(outcome.mixed(), DemoTask.Kind.ASYNC_DOWNLOAD)) {
            assertEquals("HttpClient.sendAsync", time.executor());
            assertFalse(time.thread().startsWith("procpool-demo-"), time.toString());
            assertFalse(time.thread().equals(outcome.sequential().tasks().get(0).thread()), time.toString());
        }
    }

    @Test
    void mixedRun_computesInWorkerProcesses_sameBitsAsInThisJvm() throws Exception {
        String expected = new DemoSqrtJob().format(new DemoSqrtJob().compute(new DemoSqrtJob().task(TURNS, 1, 0)));

        for (TaskTime time : tasksOf(outcome.mixed(), DemoTask.Kind.COMPUTE)) {
            assertEquals("process pool", time.executor());
            assertEquals(MixedRun.WORKER, time.thread());
            assertEquals(expected, time.outcome());
            // Handed over once the pool was up, so none can have ended before that.
            assertTrue(time.seconds() >= outcome.mixed().startupSeconds(), time + " before start-up ended");
        }
        assertEquals(WORKERS, outcome.mixed().workerPids().size());
        assertTrue(outcome.mixed().workerCpuSeconds() >= 0, "the workers' CPU was read: " + outcome.mixed());
        assertFalse(outcome.mixed().workerPids().contains(ProcessHandle.current().pid()));
        assertTrue(outcome.mixed().startupSeconds() > 0);
    }

    @Test
    void bothRuns_sameOutcomes_wholePagesAndEveryWait() {
        assertTrue(outcome.outcomesMatch());
        for (TaskTime time : outcome.sequential().tasks()) {
            switch (time.task().kind()) {
                case ASYNC_DOWNLOAD, BLOCKING_DOWNLOAD -> assertEquals(DemoSettings.PAGE_BYTES + " bytes", time.outcome());
                case WAIT -> assertEquals(WAITS + " waits", time.outcome());
                case COMPUTE -> assertTrue(Double.parseDouble(time.outcome()) > 0, time.outcome());
            }
        }
    }

    @Test
    void times_followFromTheWork_andTotalsHoldTheirTasks() {
        RunResult sequential = outcome.sequential();
        for (TaskTime time : sequential.tasks()) {
            double least = switch (time.task().kind()) {
                case WAIT -> WAITS * 1e-3;
                case ASYNC_DOWNLOAD, BLOCKING_DOWNLOAD -> LATENCY.toNanos() / 1e9;
                case COMPUTE -> 0;
            };
            assertTrue(time.seconds() >= least, time + " took less than its own waiting");
        }
        double summed = sequential.tasks().stream().mapToDouble(TaskTime::seconds).sum();
        assertTrue(sequential.totalSeconds() >= summed, "the sequential total holds every task");
        RunResult mixed = outcome.mixed();
        for (TaskTime time : mixed.tasks()) {
            assertTrue(time.seconds() > 0 && time.seconds() <= mixed.totalSeconds(), time.toString());
        }
        assertTrue(mixed.totalSeconds() >= mixed.startupSeconds() + mixed.shutdownSeconds());
        assertEquals(sequential.totalSeconds() / mixed.totalSeconds(), outcome.speedup(), 1e-12);
    }

    @Test
    void afterTheDemo_noWorkerLeft_andThePageServerStopped() {
        await().atMost(Duration.ofSeconds(10)).until(() -> outcome.mixed().workerPids().stream()
                .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
        assertThrows(IOException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(outcome.pages().getHost(), outcome.pages().getPort()), 2_000);
            }
        });
    }

    @Test
    void json_elevenTaskObjectsThenTheTotals() {
        StringWriter text = new StringWriter();
        DemoReport.json(new PrintWriter(text, true)).outcome(outcome, DemoLesson.of(outcome));

        List<JsonObject> lines = text.toString().lines().map(line -> JsonParser.parseString(line).getAsJsonObject())
                .toList();
        assertEquals(12, lines.size(), text.toString());
        for (int i = 0; i < 11; i++) {
            JsonObject task = lines.get(i);
            TaskTime mixed = outcome.mixed().tasks().get(i);
            assertEquals(mixed.task().name(), task.get("task").getAsString());
            assertEquals(mixed.task().kind().key(), task.get("kind").getAsString());
            assertEquals(mixed.executor(), task.get("executor").getAsString());
            assertEquals(mixed.seconds(), task.get("mixedSeconds").getAsDouble());
            assertEquals(outcome.sequential().tasks().get(i).seconds(), task.get("sequentialSeconds").getAsDouble());
            assertTrue(task.get("match").getAsBoolean());
        }
        JsonObject totals = lines.get(11);
        assertEquals(outcome.sequential().totalSeconds(), totals.get("sequentialSeconds").getAsDouble());
        assertEquals(outcome.mixed().totalSeconds(), totals.get("mixedSeconds").getAsDouble());
        assertEquals(outcome.mixed().startupSeconds(), totals.get("startupSeconds").getAsDouble());
        assertEquals(WORKERS, totals.get("workers").getAsInt());
        assertEquals(TURNS, totals.get("turns").getAsLong());
        assertTrue(totals.get("match").getAsBoolean());
        assertTrue(totals.get("lesson").getAsString().startsWith("The "), totals.toString());
    }

    @Test
    void table_elevenRowsTotalsAndLesson_within80Columns() {
        StringWriter text = new StringWriter();
        DemoReport table = DemoReport.table(new PrintWriter(text, true));
        table.header(outcome.settings());
        table.outcome(outcome, DemoLesson.of(outcome));

        List<String> lines = text.toString().lines().toList();
        for (String line : lines) {
            assertTrue(line.length() <= 80, "wider than 80 columns: " + line);
        }
        for (TaskTime time : outcome.mixed().tasks()) {
            assertEquals(1, lines.stream().filter(line -> line.startsWith(time.task().name() + " ")
                    && line.contains(time.executor())).count(), time.task().name() + " in\n" + text);
        }
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("sequential total")), text.toString());
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("mixed total") && line.contains("start-up")),
                text.toString());
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("speedup")), text.toString());
        assertFalse(text.toString().contains("OUTCOMES DIFFER"), text.toString());
    }

    private static List<TaskTime> tasksOf(RunResult run, DemoTask.Kind kind) {
        List<TaskTime> times = run.tasks().stream().filter(t -> t.task().kind() == kind).toList();
        assertFalse(times.isEmpty(), "no " + kind);
        return times;
    }
}
