package dev.procpool.spi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A worker that runs as a Slurm job step, reached through the local {@code srun} that started it: killing it ends the
 * step, not only {@code srun}. Thread-safe.
 *
 * <p>{@code srun} answers SIGTERM by having Slurm SIGKILL every task of its step, then exits: measured on Slurm 22.05,
 * {@code srun} exited 137 within 30 ms, the step left {@code squeue -s} within 50 ms and a new {@code --exclusive} step
 * started on its CPU within 210 ms, for a task that slept and for one that was stopped (SIGSTOP). A SIGKILLed {@code
 * srun} leaves that to a child it forked for the purpose, which ended the step only 2 to 3 s later; and that child is
 * among {@code srun}'s descendants, so they are never killed here: killed with {@code srun} (what {@link LocalWorker}
 * does), it left the step running, with its worker and its CPU, for the rest of a 96-second run. SIGKILL of {@code
 * srun} is the last resort, {@value #FORCE_AFTER_MILLIS} ms after the SIGTERM if {@code srun} has not ended by then.
 */
final class SlurmStep extends LocalWorker {

    /** How long after its SIGTERM a {@code srun} still running is SIGKILLed. */
    static final long FORCE_AFTER_MILLIS = 2_000;

    private final Process srun;
    private final AtomicBoolean killed = new AtomicBoolean();

    /**
     * @param srun the started {@code srun}; this handle owns its streams
     */
    SlurmStep(Process srun) {
        super(srun, ""); // Slurm chooses the node: the worker's handshake names it
        this.srun = srun;
    }

    /**
     * Sends {@code srun} SIGTERM, which ends the step, and schedules its SIGKILL for {@value #FORCE_AFTER_MILLIS} ms
     * later in case it is still running then; returns at once.
     */
    @Override
    public void kill() {
        if (!killed.compareAndSet(false, true)) {
            return;
        }
        srun.destroy();
        // On the delay's own daemon thread: a kill(2) of a process that has not ended takes no time.
        CompletableFuture.delayedExecutor(FORCE_AFTER_MILLIS, TimeUnit.MILLISECONDS, Runnable::run).execute(() -> {
            if (srun.isAlive()) {
                srun.destroyForcibly();
            }
        });
    }

    /**
     * Nothing: {@code srun}'s descendants are its own helpers, and what the worker starts belongs to its step, which
     * Slurm ends with it.
     */
    @Override
    public void recordDescendants() {
    }
}
