package dev.procpool.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.ProgressListener;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProgressTest {

    @Test
    void bar_showsDoneOfTotalAndRate_onceTheDelayHasPassed() {
        List<String> rendered = new CopyOnWriteArrayList<>();
        Progress progress = Progress.into(rendered::add, 0, 100);

        ProgressListener listener = progress.start("threads x2");
        listener.progress(42, 100);

        await().atMost(Duration.ofSeconds(5)).until(() -> rendered.stream().anyMatch(line -> line.contains("42/100")));
        String bar = rendered.stream().filter(line -> line.contains("42/100")).findFirst().orElseThrow();
        assertTrue(bar.startsWith("threads x2"), bar);
        assertTrue(bar.contains("tasks/s"), "the rate: " + bar);
        progress.finish();
    }

    @Test
    void firstTaskSlowerThanTheDelay_barAppearsOnceATaskIsDone() {
        List<String> rendered = new CopyOnWriteArrayList<>();
        Progress progress = Progress.into(rendered::add, 0, 100);
        ProgressListener listener = progress.start("processes x2");

        // The delay has long passed with nothing done; then the first task finishes.
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertTrue(rendered.isEmpty(), "nothing to draw yet: " + rendered);
        listener.progress(1, 8);

        await().atMost(Duration.ofSeconds(5)).until(() -> rendered.stream().anyMatch(line -> line.contains("1/8")));
        progress.finish();
    }

    @Test
    void shortRun_showsNoBar() {
        List<String> rendered = new CopyOnWriteArrayList<>();
        Progress progress = Progress.into(rendered::add, 60_000, 100);

        progress.start("sequential x1").progress(10, 10);
        progress.finish();

        assertTrue(rendered.isEmpty(), rendered.toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {80, 60, 120})
    void bar_fitsTheTerminal_oneColumnToSpare(int columns) {
        List<String> rendered = new CopyOnWriteArrayList<>();
        Progress progress = Progress.into(rendered::add, 0, columns);

        // The widest label and counts a run can have.
        ProgressListener listener = progress.start("processes x256");
        listener.progress(4_999_999, 10_000_000);

        await().atMost(Duration.ofSeconds(5)).until(() -> rendered.stream().anyMatch(line -> line.contains("4999999")));
        progress.finish();
        for (String line : rendered) {
            // A carriage return takes no column; clearing the bar writes one at each end.
            String visible = line.replace("\r", "");
            assertTrue(visible.length() < columns, visible.length() + " columns: " + visible);
        }
        assertTrue(rendered.stream().anyMatch(line -> line.length() >= columns - 10), "uses the width: " + rendered);
    }

    @Test
    void terminalWidth_columnsFirst_thenTheTerminal_then80() {
        assertEquals(132, TerminalWidth.of("132", () -> OptionalInt.of(100)));
        assertEquals(100, TerminalWidth.of(null, () -> OptionalInt.of(100)));
        assertEquals(100, TerminalWidth.of("wide", () -> OptionalInt.of(100)));
        assertEquals(100, TerminalWidth.of("0", () -> OptionalInt.of(100)));
        assertEquals(80, TerminalWidth.of(null, OptionalInt::empty));
    }

    @Test
    void none_hearsNothing() {
        assertSame(ProgressListener.NONE, Progress.none().start("threads x2"));
    }
}
