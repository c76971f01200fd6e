package dev.procpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.WorkerInfo;
import dev.procpool.measure.ProcessStatus;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CostMeterTest {

    @Test
    void stop_twice_returnsTheCostsOfTheFirstStop() {
        CostMeter meter = CostMeter.start(null, false);

        CostMeter.Costs first = meter.stop();

        assertTrue(first.cpuSeconds() >= 0, first.toString());
        assertSame(first, meter.stop());
    }

    @Test
    void workersElsewhere_countWhatTheyReported_theEndedOnesToo_eachOnce() {
        WorkerInfo live = elsewhere(1, 2_000_000_000L);
        WorkerInfo retired = elsewhere(2, 3_000_000_000L);
        WorkerInfo retiredEarlier = elsewhere(3, 500_000_000L);
        CostMeter meter = CostMeter.start(new CostMeter.Workers(() -> List.of(live, retiredEarlier),
                () -> List.of(live), () -> List.of(retiredEarlier, retired)), false);

        CostMeter.Costs costs = meter.stop();

        // This JVM's own CPU since the start is added: a little.
        assertTrue(costs.cpuSeconds() >= 5.5 && costs.cpuSeconds() < 5.9, costs.toString());
    }

    private static WorkerInfo elsewhere(int id, long cpuNanos) {
        return new WorkerInfo(id, "h1", 4000 + id, Duration.ofMillis(300), cpuNanos, 40L << 20, 40L << 20, 0);
    }

    @Test
    void threadsStartedDuringTheRun_countInThePeak() throws Exception {
        CostMeter meter = CostMeter.start(null, false);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> extra = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            extra.add(Thread.ofPlatform().daemon().name("cost-meter-test-" + i).start(() -> {
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }

        CostMeter.Costs costs = meter.stop();
        release.countDown();
        for (Thread thread : extra) {
            thread.join(10_000);
        }

        assertTrue(costs.peakThreads().isPresent() && costs.peakThreads().getAsInt() > 50, costs.toString());
    }

    @Test
    void carriers_measureTheCpuOfVirtualThreads() throws Exception {
        work(); // compiled before either measurement
        long platformStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        work();
        double platformSeconds = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - platformStart) / 1e9;

        CostMeter meter = CostMeter.start(null, true);
        Thread.ofVirtual().start(CostMeterTest::work).join(20_000);
        CostMeter.Costs costs = meter.stop();

        // The same work, in CPU time on either side: however loaded the machine, it is not less CPU on a carrier.
        assertTrue(costs.carrierCpuSeconds() > platformSeconds / 2, costs + " against " + platformSeconds + " s");
    }

    /** A fixed amount of computing, about 50 ms of CPU. */
    private static void work() {
        double sink = 0;
        for (int i = 0; i < 20_000_000; i++) {
            sink += Math.sqrt(i + sink);
        }
        if (sink < 0) {
            throw new AssertionError(sink);
        }
    }

    @Test
    void processStatus_readsResidentSetAndThreads() {
        String status = "Name:\tjava\nVmRSS:\t   41234 kB\nThreads:\t17\n";

        assertEquals(new ProcessStatus(41_234L * 1024, 17), ProcessStatus.parse(status).orElseThrow());
        assertTrue(ProcessStatus.parse("Name:\tjava\n").isEmpty());
        assertTrue(ProcessStatus.of(ProcessHandle.current().pid()).orElseThrow().threads() > 1);
    }
}
