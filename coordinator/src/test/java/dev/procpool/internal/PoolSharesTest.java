package dev.procpool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.JobNotSendableException;
import dev.procpool.job.Shared;
import dev.procpool.job.TaskFunction;
import dev.procpool.measure.TaskUsage;
import dev.procpool.protocol.FunctionJob;
import dev.procpool.protocol.Protocol;
import dev.procpool.protocol.SharedValue;
import dev.procpool.protocol.WireFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pool's shared values against the tasks that read them: a closed one is released once the last task that may read
 * it settles, or is cancelled, and not before; a close between a call's check and the counting of its tasks refuses
 * them as the call would have.
 */
class PoolSharesTest {

    private final WireFormat format = WireFormat.forCoordinator();
    private final JobTickets tickets = new JobTickets(format, Protocol.DEFAULT_MAX_FRAME_BYTES);
    private final PoolShares shares = new PoolShares(format, tickets, new TicketDelivery(format), false, notice -> { });

    /** Reads its shared value. */
    record Length(Shared<int[]> values) implements TaskFunction<Integer, Integer> {
        @Override
        public Integer apply(Integer input) {
            return values.get().length + input;
        }
    }

    /** A task's callback that records whether it settled, and can be cancelled. */
    private static final class Callback implements TaskCallback {
        private Runnable cancel = () -> { };

        @Override
        public void succeeded(Object value, TaskUsage usage) {
        }

        @Override
        public void failed(Throwable error) {
        }

        @Override
        public boolean abandoned() {
            return false;
        }

        @Override
        public void whenCancelled(Runnable stop) {
            cancel = stop;
        }
    }

    @Test
    void closedShare_isReleasedWhenTheLastTaskThatMayReadItSettles_orIsCancelled() {
        SharedValue<int[]> shared = shares.share(new int[] {1, 2, 3});
        JobTicket ticket = tickets.of(new FunctionJob<>(new Length(shared)));
        List<Callback> callbacks = List.of(new Callback(), new Callback(), new Callback());
        List<TaskCallback> reading = shares.reading(ticket, callbacks);
        reading.get(2).whenCancelled(() -> { }); // as the pool queues it

        shared.close();
        reading.get(0).succeeded(3, null);
        reading.get(1).failed(new IllegalStateException("a task that failed"));
        reading.get(1).failed(new IllegalStateException("settled twice: counted once"));
        assertFalse(shared.isReleased(), "a task that may read it is left");
        assertTrue(format.shared().get(shared.id()) != null);

        callbacks.get(2).cancel.run(); // the last one, cancelled while its worker was slow to answer

        assertTrue(shared.isReleased());
        assertFalse(format.shared().get(shared.id()) != null);
    }

    @Test
    void shareClosedAfterTheJobWasMade_beforeItsTasksAreCounted_refusesThemAsTheCallWould() {
        Shared<int[]> shared = shares.share(new int[] {1, 2, 3});
        JobTicket ticket = tickets.of(new FunctionJob<>(new Length(shared)));
        shared.close();

        JobNotSendableException refused = assertThrows(JobNotSendableException.class,
                () -> shares.reading(ticket, List.of(new Callback())));

        JobNotSendableException atTheCall = assertThrows(JobNotSendableException.class,
                () -> ClosedShareCheck.check(new FunctionJob<>(new Length(shared))));
        assertEquals(atTheCall.getMessage(), refused.getMessage());
        assertEquals(Length.class.getName(), refused.jobClass());
    }
}
