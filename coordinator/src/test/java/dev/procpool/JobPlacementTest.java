package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procpool.job.TaskFunction;
import dev.procpool.testing.TestPools;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Where a process pool places the tasks of a function it has not timed yet, on real worker JVMs: whatever the workers
 * ran before, such tasks go one to each idle worker, not all to the first with room.
 */
@Timeout(120)
class JobPlacementTest {

    /** Returns its input: a tiny task. */
    record Same() implements TaskFunction<Long, Long> {
        @Override
        public Long apply(Long x) {
            return x;
        }
    }

    /** Returns the pid of the worker that computed it. */
    record WorkerPid() implements TaskFunction<Long, Long> {
        @Override
        public Long apply(Long x) {
            return ProcessHandle.current().pid();
        }
    }

    @Test
    void functionNotTimedYet_afterTinyTasksOfAnother_goesToEveryIdleWorker() throws Exception {
        try (ProcessPool pool = TestPools.builder(2).start()) {
            // Both workers time tiny tasks of another function: their windows for those grow far past one.
            pool.map(new Same(), LongStream.range(0, 20_000).boxed().toList());

            List<CompletableFuture<Long>> pids = pool.submitAll(new WorkerPid(), List.of(0L, 1L));

            Set<Long> ran = new HashSet<>();
            for (CompletableFuture<Long> pid : pids) {
                ran.add(pid.get(30, TimeUnit.SECONDS));
            }
            assertEquals(2, ran.size(), "a task of a function whose duration is unknown goes to an idle worker, "
                    + "one each; ran on " + ran + " of " + pool.workerPids());
        }
    }
}
