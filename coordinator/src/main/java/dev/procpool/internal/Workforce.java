package dev.procpool.internal;

import dev.procpool.ProcPoolException;
import dev.procpool.ProcessPoolConfig;
import dev.procpool.WorkerOutput;
import dev.procpool.WorkerStartException;
import dev.procpool.protocol.WireFormat;
import dev.procpool.spi.LaunchedWorker;
import dev.procpool.spi.WorkerCommand;
import dev.procpool.spi.WorkerLauncher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Starts a pool's workers, replaces those that are lost, and gives up replacing when starts keep failing: the one
 * class that launches. It launches through a {@link WorkerLauncher} and knows nothing of tasks.
 *
 * <p>Threading: the first workers start on the thread that starts the pool; replacements start on whichever thread
 * noticed the loss, or later on the pool's scheduler after a back-off. Launches run under the
 * {@link PoolLifecycle}'s lock, so none starts once the pool has stopped starting workers or closed.
 */
final class Workforce {

    /** Replacements that fail to start in a row before the pool gives up replacing. */
    static final int MAX_START_FAILURES = 5;
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final ProcessPoolConfig config;
    private final WorkerJvm jvm;
    private final WorkerLauncher launcher;
    private final PoolLifecycle lifecycle;
    private final ScheduledExecutorService scheduler;
    private final Ticker ticker;
    private final WorkerEvents events;
    private final Consumer<ProcPoolException> gaveUp;
    /** Where workers' stderr lines go: the pool's output, less the JVM's refusals of the AOT cache, said once. */
    private final WorkerOutput output;
    private final StartupLatch startup;
    private final List<WorkerConnection> workers = new CopyOnWriteArrayList<>();
    /** Built while the first workers boot; read by every later launch. */
    private volatile WireFormat format;
    /** Guarded by the lifecycle's lock, under which every launch runs. */
    private int nextWorkerId = 1;
    private int startFailures;

    /**
     * @param gaveUp told once, when starts have failed too often and no more workers will be started
     */
    Workforce(ProcessPoolConfig config, WorkerJvm jvm, WorkerLauncher launcher, PoolLifecycle lifecycle,
            ScheduledExecutorService scheduler, Ticker ticker, WorkerEvents events, Consumer<ProcPoolException> gaveUp) {
        this.config = config;
        this.jvm = jvm;
        this.launcher = launcher;
        this.lifecycle = lifecycle;
        this.scheduler = scheduler;
        this.ticker = ticker;
        this.events = events;
        this.gaveUp = gaveUp;
        this.output = jvm.aotCache() == null ? config.workerOutput()
                : new AotCacheRefusal(jvm.aotCache(), config.workerOutput(), config.notices());
        this.startup = new StartupLatch(Math.min(config.workers(), launcher.capacity()), config.startupTimeout(),
                ticker);
    }

    /**
     * Launches every worker at once and returns when all are ready; throws if any cannot start. The JVMs are
     * launched first, and this side of the channel (the wire format) is prepared while they boot.
     *
     * @throws WorkerStartException if a worker cannot be launched or does not become ready
     */
    void startAll() {
        try {
            launcher.prepare(jvm.command(0));
        } catch (IOException e) {
            throw new WorkerStartException("cannot launch workers with " + launcher + ": " + e.getMessage(), e);
        }
        long deadline = ticker.nanoTime() + config.startupTimeout().toNanos();
        RuntimeException[] failure = new RuntimeException[1];
        boolean ran = lifecycle.ifStartingWorkers(() -> {
            List<Integer> ids = new ArrayList<>();
            List<LaunchedWorker> launched = new ArrayList<>();
            int count = Math.min(config.workers(), launcher.capacity());
            for (int i = 0; i < count; i++) {
                int id = nextWorkerId++;
                try {
                    launched.add(launcher.launch(jvm.command(id)));
                    ids.add(id);
                } catch (IOException e) {
                    launched.forEach(LaunchedWorker::kill);
                    failure[0] = cannotLaunch(id, e);
                    return;
                }
            }
            try {
                format = WireFormat.of(config.jobs());
            } catch (RuntimeException e) {
                launched.forEach(LaunchedWorker::kill);
                failure[0] = e;
                return;
            }
            for (int i = 0; i < launched.size(); i++) {
                watch(WorkerConnection.open(ids.get(i), launched.get(i), jvm.maxFrameBytes(), format,
                        output, events, ticker));
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        if (!ran) {
            throw new WorkerStartException("the process pool closed while it was starting");
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

    /**
     * Launches one replacement now, unless the pool no longer starts workers or its launcher has no room left (its
     * hosts dropped, say); gives up if it cannot launch.
     */
    void replace() {
        WorkerStartException[] failure = new WorkerStartException[1];
        lifecycle.ifStartingWorkers(() -> {
            if (workers.size() >= launcher.capacity()) {
                return;
            }
            int id = nextWorkerId++;
            try {
                watch(WorkerConnection.open(id, launcher.launch(jvm.command(id)), jvm.maxFrameBytes(), format,
                        output, events, ticker));
            } catch (IOException e) {
                failure[0] = cannotLaunch(id, e);
            }
        });
        if (failure[0] != null) {
            giveUp(failure[0]);
        }
    }

    /** Launches one replacement on the scheduler after {@code delayMillis}; nothing once the pool is closing. */
    void replaceLater(long delayMillis) {
        try {
            scheduler.schedule(this::replace, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closing: nothing more is launched.
        }
    }

    /** A worker completed its handshake: starts are working again. */
    void ready(WorkerConnection worker) {
        lifecycle.ifStartingWorkers(() -> startFailures = 0);
        startup.ready();
    }

    /**
     * A worker ended before its handshake. During the pool's start the start fails with it; after, another
     * replacement follows after a growing back-off, until too many in a row have failed and the pool gives up.
     */
    void startFailed(WorkerConnection worker, WorkerEnd end) {
        String message = FailureReports.couldNotStart(worker, end);
        worker.failedToStart(launcher, message);
        if (startup.failed(() -> new WorkerStartException(message + "\n  command: "
                + String.join(" ", jvm.toList(worker.id()))))) {
            return;
        }
        int[] failures = new int[1];
        if (!lifecycle.ifStartingWorkers(() -> failures[0] = ++startFailures)) {
            return;
        }
        if (failures[0] >= MAX_START_FAILURES) {
            giveUp(new WorkerStartException(failures[0] + " replacement workers in a row could not start; the last, "
                    + message));
            return;
        }
        long delay = Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << (failures[0] - 1));
        config.notices().accept(message.replace('\n', ' ') + "; trying again in " + delay + " ms");
        replaceLater(delay);
    }

    /** The worker ended; it is no longer the pool's. */
    void remove(WorkerConnection worker) {
        workers.remove(worker);
    }

    /** The workers launched and not yet ended. */
    List<WorkerConnection> workers() {
        return List.copyOf(workers);
    }

    /** Tracks a launched worker, and kills it if it is not ready within the start-up timeout. Under the lock. */
    private void watch(WorkerConnection worker) {
        workers.add(worker);
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

    private WorkerStartException cannotLaunch(int id, IOException e) {
        return new WorkerStartException("cannot launch worker " + id + " with " + jvm.java() + ": " + e.getMessage()
                + "; check that the JDK at " + jvm.java().getParent() + " is intact", e);
    }
}
