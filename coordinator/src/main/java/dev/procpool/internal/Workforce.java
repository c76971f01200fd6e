package dev.procpool.internal;

import dev.procpool.ProcPoolException;
import dev.procpool.ProcessPoolConfig;
import dev.procpool.WorkerInfo;
import dev.procpool.WorkerOutput;
import dev.procpool.WorkerStartException;
import dev.procpool.protocol.OneLine;
import dev.procpool.protocol.WireFormat;
import dev.procpool.spi.LaunchedWorker;
import dev.procpool.spi.WorkerCommand;
import dev.procpool.spi.WorkerLauncher;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Starts a pool's workers, replaces those that are lost, and gives up replacing when starts keep failing: the one
 * class that launches. It launches through a {@link WorkerLauncher} and knows nothing of tasks.
 *
 * <p>Threading: the first workers start on the thread that starts the pool; each replacement starts on a thread of
 * its own, {@code procpool-launch}, which the pool's scheduler starts at once or after a back-off: never on a thread
 * that reads a worker's output or watches the workers. Launches run outside any lock (a launcher may take its time),
 * each begun and ended with the {@link PoolLifecycle}, so none begins once the pool has stopped starting workers or
 * closed, and a worker whose launch ends after the pool closed is killed.
 */
final class Workforce {

    /** How many ended workers the pool keeps the figures of: the most recent. */
    static final int ENDED_KEPT = 1024;
    /** Replacements that fail to start in a row before the pool gives up replacing. */
    static final int MAX_START_FAILURES = 5;
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final ProcessPoolConfig config;
    private final WorkerJvm jvm;
    private final WorkerLauncher launcher;
    /** What the launcher's link carries in one message, 0 if it streams freely: each worker is told. */
    private final int batchFrameBytes;
    private final PoolLifecycle lifecycle;
    private final ScheduledExecutorService scheduler;
    private final Ticker ticker;
    private final WorkerEvents events;
    private final Consumer<ProcPoolException> gaveUp;
    /** Where workers' stderr lines go: the pool's output, less the JVM's refusals of the AOT cache, said once. */
    private final WorkerOutput output;
    /** Made once the launcher is prepared: only then does it know how many workers it can run. */
    private volatile StartupLatch startup;
    private final List<WorkerConnection> workers = new CopyOnWriteArrayList<>();
    /** What the last {@link #ENDED_KEPT} ended workers stood at, in the order they ended; guarded by itself. */
    private final Deque<WorkerInfo> ended = new ArrayDeque<>();
    private final AtomicInteger nextWorkerId = new AtomicInteger(1);
    /** Replacements launching now: with the workers on the books, what the launcher's capacity bounds. */
    private final AtomicInteger replacing = new AtomicInteger();
    /** Starts that failed in a row since a worker last became ready. */
    private final AtomicInteger startFailures = new AtomicInteger();
    /** The pool's table of classes on the wire, shared by every connection. */
    private final WireFormat format;

    /**
     * @param batchFrameBytes what the launcher's link carries in one message, 0 if it streams freely (see
     *     {@link WorkerLauncher#batchFrameBytes()}): each worker is told, to keep its answers' batches within it
     * @param format the pool's table of classes on the wire; its Kryo is first built as the first connection opens,
     *     while the workers' JVMs boot
     * @param gaveUp told once, when starts have failed too often and no more workers will be started
     */
    Workforce(ProcessPoolConfig config, WorkerJvm jvm, WorkerLauncher launcher, int batchFrameBytes,
            WireFormat format, PoolLifecycle lifecycle, ScheduledExecutorService scheduler, Ticker ticker,
            WorkerEvents events, Consumer<ProcPoolException> gaveUp) {
        this.config = config;
        this.batchFrameBytes = batchFrameBytes;
        this.format = format;
        this.jvm = jvm;
        this.launcher = launcher;
        this.lifecycle = lifecycle;
        this.scheduler = scheduler;
        this.ticker = ticker;
        this.events = events;
        this.gaveUp = gaveUp;
        this.output = jvm.aotCache() == null ? config.workerOutput()
                : new AotCacheRefusal(jvm.aotCache(), config.workerOutput(), config.notices());
    }

    /**
     * Launches every worker at once and returns when all are ready or have failed, with at least one ready. The JVMs
     * are launched first, and this side of each channel is prepared while they boot.
     *
     * @throws WorkerStartException if no worker can be launched or none becomes ready
     */
    void startAll() {
        try {
            launcher.prepare(command(0));
        } catch (IOException | RuntimeException e) {
            throw new WorkerStartException("cannot launch workers with " + launcher + ": " + e.getMessage(), e);
        }
        int count = Math.min(config.workers(), launcher.capacity());
        if (count < 1) {
            throw new WorkerStartException("cannot launch workers with " + launcher + ": it has room for none");
        }
        startup = new StartupLatch(count, config.startupTimeout(), ticker);
        long deadline = ticker.nanoTime() + config.startupTimeout().toNanos();
        if (!lifecycle.beginLaunch()) {
            throw new WorkerStartException("the process pool closed while it was starting");
        }
        try {
            List<Integer> ids = new ArrayList<>();
            List<LaunchedWorker> launched = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int id = nextWorkerId.getAndIncrement();
                try {
                    launched.add(launcher.launch(command(id)));
                    ids.add(id);
                } catch (IOException | RuntimeException e) {
                    launched.forEach(LaunchedWorker::kill);
                    throw cannotLaunch(id, e);
                }
            }
            for (int i = 0; i < launched.size(); i++) {
                register(WorkerConnection.open(ids.get(i), launched.get(i), jvm.maxFrameBytes(), format, output,
                        events, ticker));
            }
        } finally {
            lifecycle.endLaunch();
        }
        StartupLatch.Outcome outcome = startup.await(deadline);
        if (outcome.failed() > 0) {
            config.notices().accept(outcome.failed() + " of " + (outcome.ready() + outcome.failed()) + " workers could "
                    + "not start; carrying on with the " + outcome.ready() + " that did, and trying again for the "
                    + "others. The first: " + outcome.firstFailure().getMessage().lines().findFirst().orElse(""));
            for (int i = 0; i < outcome.failed(); i++) {
                replaceLater(FIRST_BACKOFF_MILLIS);
            }
        }
    }

    /** Launches one replacement on the scheduler at once: see {@link #replaceLater}. */
    void replace() {
        replaceLater(0);
    }

    /**
     * Launches one replacement on the scheduler after {@code delayMillis}, unless by then the pool no longer starts
     * workers or its launcher has no room left (its hosts dropped, say). A launch that fails counts as a failed start.
     */
    void replaceLater(long delayMillis) {
        try {
            // On a thread of its own: a launcher may take its time, and the scheduler also runs the watches.
            scheduler.schedule(() -> Thread.ofPlatform().daemon().name("procpool-launch").start(this::launchReplacement),
                    delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closing: nothing more is launched.
        }
    }

    private void launchReplacement() {
        int capacity = launcher.capacity();
        if (capacity == 0) {
            // Every host dropped, every node lost: no worker can start again, so the tasks must not wait for one.
            giveUp(new WorkerStartException(launcher + " has no room left for a worker (the notices above say what "
                    + "was lost); no worker can be started"));
            return;
        }
        if (replacing.incrementAndGet() + workers.size() > capacity || !lifecycle.beginLaunch()) {
            replacing.decrementAndGet();
            return;
        }
        int id = nextWorkerId.getAndIncrement();
        try {
            register(WorkerConnection.open(id, launcher.launch(command(id)), jvm.maxFrameBytes(), format, output,
                    events, ticker));
        } catch (IOException | RuntimeException e) {
            replacementFailed(cannotLaunch(id, e).getMessage());
        } finally {
            replacing.decrementAndGet();
            lifecycle.endLaunch();
        }
    }

    /**
     * Launches a replacement if the pool has fewer workers than it wants and its launcher now has room: after a
     * retired worker ended, since its replacement, launched while it still held its slot, may have found none.
     */
    void topUp() {
        if (workers.size() + replacing.get() < Math.min(config.workers(), launcher.capacity())) {
            replace();
        }
    }

    /** A worker completed its handshake: starts are working again. */
    void ready(WorkerConnection worker) {
        startFailures.set(0);
        startup.ready();
    }

    /**
     * A worker ended before its handshake. During the pool's start the start fails with it; after, it counts as a
     * failed replacement (see {@link #replacementFailed}).
     */
    void startFailed(WorkerConnection worker, WorkerEnd end) {
        String message = FailureReports.couldNotStart(worker, end);
        worker.failedToStart(launcher, message);
        if (startup.failed(() -> new WorkerStartException(message + "\n  command: "
                + String.join(" ", jvm.toList(worker.id()))))) {
            return;
        }
        replacementFailed(message);
    }

    /**
     * A replacement could not be launched or did not start: another follows after a growing back-off, until too many
     * in a row have failed and the pool gives up.
     */
    private void replacementFailed(String message) {
        if (!lifecycle.startsWorkers()) {
            return;
        }
        int failures = startFailures.incrementAndGet();
        if (failures >= MAX_START_FAILURES) {
            giveUp(new WorkerStartException(failures + " replacement workers in a row could not start; the last, "
                    + message));
            return;
        }
        long delay = Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << (failures - 1));
        config.notices().accept(message.replace('\n', ' ') + "; trying again in " + delay + " ms");
        replaceLater(delay);
    }

    /**
     * The worker ended; it is no longer the pool's, and, if it had started, stands among the ended as it last
     * reported (put there first, so that nobody who looks at both finds it in neither).
     */
    void remove(WorkerConnection worker) {
        WorkerInfo last = worker.info();
        if (workers.contains(worker) && !last.launch().isZero()) {
            synchronized (ended) {
                ended.addLast(last);
                if (ended.size() > ENDED_KEPT) {
                    ended.removeFirst();
                }
            }
        }
        workers.remove(worker);
    }

    /** The last {@link #ENDED_KEPT} workers that ended after they had started, each as it stood at its end. */
    List<WorkerInfo> ended() {
        synchronized (ended) {
            return List.copyOf(ended);
        }
    }

    /** The workers launched and not yet ended. */
    List<WorkerConnection> workers() {
        return List.copyOf(workers);
    }

    /**
     * Puts a launched worker on the books, and kills it if it is not ready within the start-up timeout; a worker
     * whose launch ended after the pool closed is killed at once (the close did not see it).
     */
    private void register(WorkerConnection worker) {
        workers.add(worker);
        if (lifecycle.isClosed()) {
            worker.kill("was launched as its pool closed");
            return;
        }
        try {
            scheduler.schedule(() -> abandonIfNotReady(worker), config.startupTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closing: the pool's close ends this worker too.
        }
    }

    private void abandonIfNotReady(WorkerConnection worker) {
        if (worker.state() == ConnectionState.STARTING) {
            worker.kill("did not become ready within " + config.startupTimeout().toMillis() + " ms");
        }
    }

    private void giveUp(ProcPoolException reason) {
        if (lifecycle.giveUp(reason)) {
            config.notices().accept(reason.getMessage().replace('\n', ' ') + "; no more workers will be started");
            gaveUp.accept(reason);
        }
    }

    /** Worker {@code id}'s command, its answers batched within what the launcher's link carries in one message. */
    private WorkerCommand command(int id) {
        return jvm.command(id, batchFrameBytes);
    }

    /** Why worker {@code id} could not be launched: the launcher's words, and for local workers, the JDK. */
    private WorkerStartException cannotLaunch(int id, Exception e) {
        String hint = launcher == WorkerLauncher.local()
                ? "; check that the JDK at " + jvm.java().getParent() + " is intact" : "";
        return new WorkerStartException("cannot launch worker " + id + " with " + launcher + ": "
                + OneLine.of(e.getMessage() == null ? e.toString() : e.getMessage()) + hint, e);
    }
}
