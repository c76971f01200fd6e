package dev.procpool.internal;

import dev.procpool.WorkerOutput;
import dev.procpool.protocol.FrameWriter;
import dev.procpool.protocol.Handshake;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.Protocol;
import dev.procpool.protocol.WireFormat;
import java.io.PipedOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Connections to {@link FakeWorker}s that have said hello, for the engine's tests: the test feeds the fake's stdout
 * the handshake and waits (bounded) until the connection is ready for tasks. Stateless.
 */
final class ReadyConnections {

    private ReadyConnections() {
    }

    /**
     * Opens worker {@code id}'s connection to {@code process}, whose stdout the test writes through {@code stdout},
     * writes its handshake there and waits until the connection is ready; {@code outputEnded} hears when the fake's
     * stdout ends.
     */
    static WorkerConnection open(int id, FakeWorker process, PipedOutputStream stdout, WireFormat format,
            Ticker ticker, Consumer<WorkerConnection> outputEnded) throws Exception {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        WorkerConnection connection = WorkerConnection.open(id, process, Protocol.DEFAULT_MAX_FRAME_BYTES, format,
                WorkerOutput.discard(), new WorkerEvents() {
                    @Override
                    public void ready(WorkerConnection worker) {
                        ready.complete(null);
                    }

                    @Override
                    public void message(WorkerConnection worker, Message message) {
                    }

                    @Override
                    public void notice(String message) {
                    }

                    @Override
                    public void outputEnded(WorkerConnection worker) {
                        outputEnded.accept(worker);
                    }

                    @Override
                    public void ended(WorkerConnection worker, WorkerEnd end) {
                    }
                }, ticker);
        FrameWriter writer = new FrameWriter(stdout, format, Protocol.DEFAULT_MAX_FRAME_BYTES);
        writer.writeHandshake(new Handshake(Protocol.VERSION, format.fingerprint(), 4242, "localhost"));
        writer.flush();
        ready.get(10, TimeUnit.SECONDS);
        return connection;
    }
}
