package dev.procpool.internal;

import dev.procpool.job.Job;
import dev.procpool.protocol.Protocol;
import dev.procpool.protocol.WireFormat;

/**
 * Whether a job would travel to worker processes, asked without a pool: the check a pool makes on a job's first use,
 * made on a table of its own, where a shared value that is open, shared with any runner, passes. Stateless.
 */
public final class SendableCheck {

    private SendableCheck() {
    }

    /**
     * @throws dev.procpool.JobNotSendableException saying what cannot travel and what to do instead
     */
    public static void check(Job<?, ?> job) {
        ClosedShareCheck.check(job);
        new JobTickets(WireFormat.forCheck(), Protocol.DEFAULT_MAX_FRAME_BYTES).of(job);
    }
}
