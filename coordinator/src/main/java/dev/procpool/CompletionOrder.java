package dev.procpool;

import dev.procpool.internal.ShareHold;
import dev.procpool.internal.TaskCallback;
import dev.procpool.internal.TaskSink;
import dev.procpool.measure.TaskUsage;
import dev.procpool.protocol.FunctionJob;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
 * A function applied to many inputs, its outputs handed out in the order they complete: the inputs are pulled from
 * their iterator lazily, at most a window of them submitted ahead of the outputs handed out, topped up by the
 * consuming thread as it takes outputs (so an endless source works, and memory stays bounded), and each output
 * goes into a queue as its task settles, on whatever thread settles it; the consuming thread takes them from the queue.
 * A runner that computes on the calling thread gets a window of one, submitted when the output is asked for: it
 * computes each input as its output is taken. At a failure, or when the consumer closes the stream, the inputs not
 * started yet are dropped. The queue is the only state shared with the settling threads; the rest belongs to the
 * consuming thread.
 */
final class CompletionOrder<I, O> implements Iterator<Completed<I, O>> {

    /** Inputs handed to the sink in one call at most. */
    private static final int CHUNK = 1024;

    /** A settled task: its input's position, and its output or failure. */
    private record Arrival(int index, Object output, Throwable failure) {
    }

    private final TaskSink sink;
    private final FunctionJob<I, O> function;
    /** The inputs not pulled yet: read by the consuming thread alone. */
    private final Iterator<? extends I> inputs;
    /** The inputs submitted and not handed out yet, by position. */
    private final Map<Integer, I> inFlight = new HashMap<>();
    /** Inputs submitted and not yet handed out at most. */
    private final int window;
    private final BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
    /** The call's hold on the shared values the function reads: let go of when the stream is done. */
    private final ShareHold hold;
    private volatile boolean closed;
    private int submitted;
    private int handedOut;

    private CompletionOrder(TaskSink sink, FunctionJob<I, O> function, Iterator<? extends I> inputs, int window,
            ShareHold hold) {
        this.sink = sink;
        this.hold = hold;
        this.function = function;
        this.inputs = inputs;
        this.window = window;
    }

    /**
     * The stream of outputs as they complete. The runner is asked at once whether it takes the function (an empty
     * submission); then, unless it computes on the calling thread ({@code onCaller}), the first window of inputs is
     * submitted.
     *
     * @param workers how many tasks the runner computes at once, which sizes the window
     * @param onCaller whether the runner computes each input on the thread that submits it
     * @param hold the call's hold on the shared values the function reads, closed once {@code hasNext()} finds
     *     every output handed out, at a failure, or when the stream is closed (not if this throws: the caller does)
     * @throws ProcPoolException what the runner refused the function with (a closed runner, a function that cannot
     *     travel): then nothing was submitted
     */
    static <I, O> Stream<Completed<I, O>> stream(TaskSink sink, FunctionJob<I, O> function,
            Iterator<? extends I> inputs, int workers, boolean onCaller, ShareHold hold) {
        CompletionOrder<I, O> order = new CompletionOrder<>(sink, function, inputs,
                onCaller ? 1 : JobDriver.window(workers, Integer.MAX_VALUE), hold);
        sink.execute(function, List.of(), List.of());
        if (!onCaller) {
            order.topUp();
        }
        // Not SIZED, even for a collection of inputs: a sized stream's count() would skip the work and its failures.
        Spliterator<Completed<I, O>> outputs = Spliterators.spliteratorUnknownSize(order, Spliterator.NONNULL);
        return StreamSupport.stream(outputs, false).onClose(order::close);
    }

    /** Pulls and submits inputs until a window of them is ahead of the outputs handed out, or none is left. */
    private void topUp() {
        while (submitted - handedOut < window && !closed && inputs.hasNext()) {
            int from = submitted;
            int room = Math.min(CHUNK, window - (submitted - handedOut));
            List<I> chunk = new ArrayList<>(room);
            List<TaskCallback> callbacks = new ArrayList<>(room);
            while (chunk.size() < room && inputs.hasNext()) {
                I input = inputs.next();
                inFlight.put(from + chunk.size(), input);
                callbacks.add(new ArrivalCallback(from + chunk.size()));
                chunk.add(input);
            }
            submitted += chunk.size();
            try {
                sink.execute(function, chunk, callbacks);
            } catch (RuntimeException e) {
                if (from == 0) {
                    throw e; // the first inputs: nothing ran, and the call itself fails (a closed runner)
                }
                callbacks.forEach(callback -> callback.failed(e));
            }
        }
    }

    @Override
    public boolean hasNext() {
        if (!closed && (handedOut < submitted || inputs.hasNext())) {
            return true;
        }
        close();
        return false;
    }

    /**
     * The next output to complete, waiting for it.
     *
     * @throws ProcPoolException what its task failed with; the inputs not started are dropped
     * @throws WaitInterruptedException if this thread is interrupted while it waits (its interrupt flag is set again);
     *     the inputs not started are dropped
     */
    @Override
    @SuppressWarnings("unchecked")
    public Completed<I, O> next() {
        if (!hasNext()) {
            throw new NoSuchElementException("every output has been handed out");
        }
        topUp();
        Arrival arrival = take();
        handedOut++;
        if (arrival.failure() != null) {
            close();
            inFlight.clear();
            throw arrival.failure() instanceof RuntimeException unchecked ? unchecked
                    : new ProcPoolException("input " + arrival.index() + " failed: " + arrival.failure(),
                            arrival.failure());
        }
        return new Completed<>(arrival.index(), inFlight.remove(arrival.index()), (O) arrival.output());
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
            throw new WaitInterruptedException(function.name(), WaitInterruptedException.Wait.NEXT_OUTPUT);
        }
    }

    /** Drops the inputs not started yet (their tasks never run), and lets go of the call's shared values. */
    private void close() {
        closed = true;
        hold.close();
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
