package dev.procpool.cli;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CostMeterTest {

    @Test
    void stop_twice_returnsTheCostsOfTheFirstStop() {
        CostMeter meter = CostMeter.start(null);

        CostMeter.Costs first = meter.stop();

        assertTrue(first.cpuSeconds() >= 0, first.toString());
        assertSame(first, meter.stop());
    }
}
