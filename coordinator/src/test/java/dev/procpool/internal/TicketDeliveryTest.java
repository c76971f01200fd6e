package dev.procpool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procpool.job.Shared;
import dev.procpool.job.TaskFunction;
import dev.procpool.protocol.FrameReader;
import dev.procpool.protocol.FunctionJob;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.Protocol;
import dev.procpool.protocol.SharedValue;
import dev.procpool.protocol.Unshare;
import dev.procpool.protocol.WireFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the delivery keeps of closed shared values: each worker that has one is told to let go of it before its next
 * jobs, and then nothing of it is kept. Fake workers whose stdin the test reads back as frames; no JVM is started.
 */
@Timeout(60)
class TicketDeliveryTest {

    private final WireFormat format = WireFormat.forCoordinator();
    private final JobTickets tickets = new JobTickets(format, Protocol.DEFAULT_MAX_FRAME_BYTES);
    private final TicketDelivery delivery = new TicketDelivery(format);
    private final AtomicLong ids = new AtomicLong();
    private final List<FakeWorker> processes = new ArrayList<>();

    /** Reads its shared value. */
    record Length(Shared<int[]> values) implements TaskFunction<Integer, Integer> {
        @Override
        public Integer apply(Integer input) {
            return values.get().length + input;
        }
    }

    @AfterEach
    void killFakes() {
        processes.forEach(FakeWorker::kill);
    }

    @Test
    void manySharesClosed_eachWorkerIsToldOfThoseItHas_andNoIdIsKeptOnceItWasTold() throws Exception {
        ByteArrayOutputStream busySent = new ByteArrayOutputStream();
        ByteArrayOutputStream idleSent = new ByteArrayOutputStream();
        WorkerConnection busy = readyWorker(1, busySent);
        WorkerConnection idle = readyWorker(2, idleSent);
        SharedValue<int[]> first = share();
        prepare(idle, first);

        List<Long> closed = new ArrayList<>();
        for (int round = 0; round < 1000; round++) {
            SharedValue<int[]> shared = round == 0 ? first : share();
            prepare(busy, shared);
            release(shared);
            closed.add(shared.id());
        }
        prepare(busy, share());

        assertEquals(1, delivery.closedKept(), "only the idle worker's share, which it has not been told of yet");
        prepare(idle, share());
        assertEquals(0, delivery.closedKept(), "every worker has been told");
        assertEquals(closed, unshared(busySent), "each share withdrawn from the worker that had it, once");
        assertEquals(List.of(first.id()), unshared(idleSent));
    }

    @Test
    void shareClosedWhileAWorkerHasIt_andTheWorkerEnds_nothingIsKept() throws Exception {
        WorkerConnection worker = readyWorker(1, new ByteArrayOutputStream());
        SharedValue<int[]> shared = share();
        prepare(worker, shared);
        release(shared);
        prepare(readyWorker(2, new ByteArrayOutputStream()), share()); // another worker's turn sorts the closed id

        delivery.ended(worker);

        assertEquals(0, delivery.closedKept());
    }

    /** A small value shared with the pool, travelling inline. */
    private SharedValue<int[]> share() {
        int[] value = {1, 2, 3};
        long id = ids.incrementAndGet();
        SharedValue<int[]> shared = SharedValue.pooled(id, value, null, tickets.encodeShared(value), () -> { });
        format.shared().put(shared);
        return shared;
    }

    /** Closes the value and releases it, as the pool does once no task can read it. */
    private void release(SharedValue<int[]> shared) {
        shared.close();
        format.shared().remove(shared.id());
        shared.release();
        delivery.closed(shared.id());
    }

    /** Has {@code worker} sent what it needs before a task of a function that reads {@code shared}. */
    private void prepare(WorkerConnection worker, SharedValue<int[]> shared) throws Exception {
        delivery.prepare(worker, tickets.of(new FunctionJob<>(new Length(shared))));
        worker.input().flush();
    }

    /** The ids of the shared values a worker was told to let go of, in order. */
    private List<Long> unshared(ByteArrayOutputStream sent) throws IOException {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(sent.toByteArray()), format,
                Protocol.DEFAULT_MAX_FRAME_BYTES);
        List<Long> withdrawn = new ArrayList<>();
        Message message;
        while ((message = reader.read()) != null) {
            if (message instanceof Unshare unshare) {
                for (long id : unshare.ids()) {
                    withdrawn.add(id);
                }
            }
        }
        return withdrawn;
    }

    /** A connected fake worker whose handshake has been read; what it is sent collects in {@code sent}. */
    private WorkerConnection readyWorker(int id, ByteArrayOutputStream sent) throws Exception {
        PipedOutputStream stdout = new PipedOutputStream();
        FakeWorker process = FakeWorker.live(stdout, sent);
        processes.add(process);
        return ReadyConnections.open(id, process, stdout, format, Ticker.system(), worker -> { });
    }
}
