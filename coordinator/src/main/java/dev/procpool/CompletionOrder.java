package dev.procpool;

import dev.procpool.internal.TaskCallback;
import dev.procpool.internal.TaskSink;
import dev.procpool.measure.TaskUsage;
import dev.procpool.protocol.FunctionJob;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A function applied to many inputs, its outputs handed out in the order they complete: every input is submitted at
 * once, and each output goes into a queue as its task settles, on whatever thread settles it; the consuming thread takes
 * them from the queue. At a failure, or when the consumer closes the stream, the inputs not started yet are dropped.
 * The queue is the only state shared with the settling threads; the rest belongs to the consuming thread.
 */
final class CompletionOrder<I, O> implements Iterator<Completed<I, O>> {

    /** Inputs handed to the sink in one call. */
    private static final int CHUNK = 1024;

    /** A settled task: its input's position, and its output or failure. */
    private record Arrival(int index, Object output, Throwable failure) {
    }

    private final List<? extends I> inputs;
    private final BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
    private volatile boolean closed;
    private int handedOut;

    private CompletionOrder(List<? extends I> inputs) {
        this.inputs = inputs;
    }

    /**
     * Submits every input, and returns the stream of outputs as they complete.
     *
     * @throws ProcPoolException what the runner refused the first inputs with (a closed runner, a function that
     *     cannot travel): then nothing was submitted
     */
    static <I, O> Stream<Completed<I, O>> stream(TaskSink sink, FunctionJob<I, O> function, List<? extends I> inputs) {
        CompletionOrder<I, O> order = new CompletionOrder<>(inputs);
        for (int from = 0; from < inputs.size(); from += CHUNK) {
            List<I> chunk = new ArrayList<>(inputs.subList(from, Math.min(inputs.size(), from + CHUNK)));
            List<TaskCallback> callbacks = new ArrayList<>(chunk.size());
            for (int i = 0; i < chunk.size(); i++) {
                callbacks.add(order.new ArrivalCallback(from + i));
            }
            try {
                sink.execute(function, chunk, callbacks);
            } catch (RuntimeException e) {
                if (from == 0) {
                    throw e;
                }
                callbacks.forEach(callback -> callback.failed(e));
            }
        }
        Spliterator<Completed<I, O>> outputs = Spliterators.spliterator(order, inputs.size(), Spliterator.NONNULL);
        return StreamSupport.stream(outputs, false).onClose(order::close);
    }

    @Override
    public boolean hasNext() {
        return handedOut < inputs.size() && !closed;
    }

    /**
     * The next output to complete, waiting for it.
     *
     * @throws ProcPoolException what its task failed with; the inputs not started are dropped
     */
    @Override
    @SuppressWarnings("unchecked")
    public Completed<I, O> next() {
        if (!hasNext()) {
            throw new NoSuchElementException("every output has been handed out");
        }
        Arrival arrival = take();
        handedOut++;
        if (arrival.failure() != null) {
            close();
            throw arrival.failure() instanceof RuntimeException unchecked ? unchecked
                    : new ProcPoolException("input " + arrival.index() + " failed: " + arrival.failure(),
                            arrival.failure());
        }
        return new Completed<>(arrival.index(), inputs.get(arrival.index()), (O) arrival.output());
    }

    private Arrival take() {
        try {
            Arrival arrival;
            // Bounded so that an interrupt is noticed; tasks themselves may legitimately take long.
            while ((arrival = arrivals.poll(100, TimeUnit.MILLISECONDS)) == null) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
            }
            return arrival;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new PoolClosedException("interrupted while waiting for the next output");
        }
    }

    /** Drops the inputs not started yet; their tasks never run. */
    private void close() {
        closed = true;
    }

    /** Where one input's task settles. */
    private final class ArrivalCallback implements TaskCallback {
        private final int index;
        /** Its first outcome counts: a later one (a submission that failed after the runner settled it) is dropped. */
        private final AtomicBoolean settled = new AtomicBoolean();

        ArrivalCallback(int index) {
            this.index = index;
        }

        @Override
        public void succeeded(Object value, TaskUsage usage) {
            if (settled.compareAndSet(false, true)) {
                arrivals.add(new Arrival(index, value, null));
            }
        }

        @Override
        public void failed(Throwable error) {
            if (settled.compareAndSet(false, true)) {
                arrivals.add(new Arrival(index, null, error));
            }
        }

        @Override
        public boolean abandoned() {
            return closed;
        }
    }
}
