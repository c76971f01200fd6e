package dev.procpool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How many tasks a worker may hold, by the average time its tasks take. */
class DispatcherWindowTest {

    @ParameterizedTest(name = "{0} ns per task: {1}")
    @CsvSource({
        "-1, 1",            // not measured yet: one, so nothing waits behind a long first task
        "20000000, 1",      // 20 ms and more: one at a time, the best balance for uneven tasks
        "900000000, 1",
        "19999999, 2",      // shorter: one queued behind the one computing
        "1000000, 2",
        "400000, 2",
        "100000, 10",       // 0.1 ms: a millisecond's worth
        "1000, 1000",
        "100, 4096",        // tiny: as many as fit, capped
        "0, 4096",
    })
    void adaptiveWindow_followsTheTasksDuration(double taskNanos, int window) {
        assertEquals(window, AdaptiveWindow.INSTANCE.window(taskNanos));
    }
}
