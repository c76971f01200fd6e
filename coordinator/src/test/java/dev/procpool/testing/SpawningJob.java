package dev.procpool.testing;

import dev.procpool.job.LongSum;
import dev.procpool.job.Range;
import dev.procpool.job.RangeJob;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A test-only job whose every task starts a process ({@code sleep seconds}) and then waits as long, ten minutes by
 * default: what is left of a run when its coordinator is killed mid-way, for the command-line tests. Immutable.
 *
 * @param seconds how long the process each task starts sleeps, and the task waits
 */
public record SpawningJob(long seconds) implements RangeJob<Long>, LongSum<Range> {

    /** Ten minutes: the job {@code --job=spawning} runs. */
    public SpawningJob() {
        this(600);
    }

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
        Process sleeper = new ProcessBuilder("sleep", Long.toString(seconds)).start();
        new CountDownLatch(1).await(seconds, TimeUnit.SECONDS);
        sleeper.waitFor(seconds + 10, TimeUnit.SECONDS);
        return range.length();
    }
}
