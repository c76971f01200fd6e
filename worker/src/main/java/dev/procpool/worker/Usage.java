package dev.procpool.worker;

import dev.procpool.measure.ProcessStatus;
import dev.procpool.protocol.Heartbeat;
import java.time.Duration;

/**
 * What this worker's process has used, for its heartbeat answers: its CPU time and resident set, read from the
 * process's own statistics (about 20 microseconds, once a second). A coordinator on another machine learns them only
 * this way. Stateless.
 */
final class Usage {

    private Usage() {
    }

    /** The answer to {@code question}: its sequence, with this process's usage. */
    static Heartbeat answer(Heartbeat question) {
        ProcessHandle self = ProcessHandle.current();
        long cpu = self.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
        long resident = ProcessStatus.of(self.pid()).map(ProcessStatus::residentBytes).orElse(-1L);
        return new Heartbeat(question.sequence(), cpu, resident);
    }
}
