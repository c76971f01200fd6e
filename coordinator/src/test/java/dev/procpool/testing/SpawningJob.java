package dev.procpool.testing;

import dev.procpool.job.LongSum;
import dev.procpool.job.Range;
import dev.procpool.job.RangeJob;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A test-only job whose every task starts a process ({@code sleep 600}) and then waits ten minutes: what is left of
 * a run when its coordinator is killed mid-way, for the command-line tests. Stateless.
 */
public final class SpawningJob extends RangeJob<Long> implements LongSum<Range> {

    @Override
    public String name() {
        return "spawning";
    }

    @Override
    public String description() {
        return "test-only: each task starts a sleeping process, then waits";
    }

    @Override
    public long defaultSize() {
        return 4;
    }

    @Override
    public Long compute(Range range) throws IOException, InterruptedException {
        new ProcessBuilder("sleep", "600").start();
        new CountDownLatch(1).await(600, TimeUnit.SECONDS);
        return range.length();
    }
}
