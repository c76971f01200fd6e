package dev.procpool.spi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Starts each worker as a Slurm job step: {@code srun --unbuffered --quiet --exclusive -N1 -n1 --jobid=J}, one CPU
 * each, placed by Slurm on a node of the allocation (the worker's handshake says which). Inside an allocation
 * ({@code SLURM_JOB_ID} set, as under {@code salloc} or {@code sbatch}) it uses that one, with as many workers as it
 * has tasks; outside, {@link #prepare} asks for an allocation of the workers wanted ({@code salloc}, with the user's
 * own arguments: partition, time, account) and {@link #close} gives it back. The request's {@code salloc} keeps its
 * stdin a pipe from this JVM, so the allocation is released even if this JVM is killed. Only {@code --unbuffered}
 * makes {@code srun} pass binary data through at once.
 *
 * <p>The workers' class path must be where they run: on a file system the nodes share, at the same paths. Thread-safe.
 */
public final class SlurmLauncher implements WorkerLauncher {

    private static final long ALLOCATION_TIMEOUT_SECONDS = 120;
    private static final long RELEASE_TIMEOUT_SECONDS = 10;

    private final int wanted;
    private final List<String> slurmArgs;
    private final Map<String, String> environment;
    private final Consumer<String> notices;
    private final Object lock = new Object();
    /** Guarded by {@code lock}. */
    private String jobId;
    private int tasks;
    /** The {@code salloc} holding the allocation this launcher asked for; null inside a user's allocation. */
    private Process allocation;

    /**
     * @param wanted how many workers to ask for outside an allocation; inside one, its task count decides
     * @param slurmArgs the user's arguments for the allocation request (outside one) and, where they apply, for
     *     every step
     * @param environment this process's environment, where {@code SLURM_JOB_ID} and {@code SLURM_NTASKS} say
     *     whether it runs inside an allocation
     * @param notices where the launcher says what it did (asked for an allocation, released it)
     */
    public SlurmLauncher(int wanted, List<String> slurmArgs, Map<String, String> environment,
            Consumer<String> notices) {
        if (wanted < 1) {
            throw new IllegalArgumentException("wanted must be at least 1, was " + wanted);
        }
        this.wanted = wanted;
        this.slurmArgs = List.copyOf(slurmArgs);
        this.environment = Map.copyOf(environment);
        this.notices = Objects.requireNonNull(notices, "notices");
    }

    /** Whether this process runs inside a Slurm allocation. */
    public static boolean insideAllocation(Map<String, String> environment) {
        String job = environment.get("SLURM_JOB_ID");
        return job != null && !job.isBlank();
    }

    /**
     * Uses the allocation this process runs in, or asks for one of the workers wanted and waits for it.
     *
     * @throws IOException if Slurm gives none: its own words, and what to do
     */
    @Override
    public void prepare(WorkerCommand template) throws IOException {
        synchronized (lock) {
            if (jobId != null) {
                return;
            }
            if (insideAllocation(environment)) {
                jobId = environment.get("SLURM_JOB_ID").strip();
                tasks = taskCount(environment);
                return;
            }
            allocate();
        }
    }

    /** The allocation's task count: SLURM_NTASKS, else SLURM_NPROCS, else one per node it gives. */
    private static int taskCount(Map<String, String> environment) {
        for (String variable : List.of("SLURM_NTASKS", "SLURM_NPROCS", "SLURM_JOB_NUM_NODES", "SLURM_NNODES")) {
            String value = environment.get(variable);
            if (value != null && value.strip().matches("[0-9]+")) {
                return Integer.parseInt(value.strip());
            }
        }
        return 1;
    }

    private void allocate() throws IOException {
        List<String> command = new ArrayList<>(List.of("salloc", "--quiet", "-n", Integer.toString(wanted)));
        command.addAll(slurmArgs);
        command.addAll(List.of("sh", "-c", "echo \"procpool-allocation $SLURM_JOB_ID\"; exec cat > /dev/null"));
        Process salloc;
        try {
            salloc = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new IOException("cannot run salloc (" + e.getMessage() + "): is Slurm's client installed?");
        }
        StringBuilder complaint = new StringBuilder();
        Daemons.run("procpool-salloc-stderr", () -> {
            try (BufferedReader errors = new BufferedReader(new InputStreamReader(salloc.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = errors.readLine()) != null) {
                    synchronized (complaint) {
                        if (complaint.length() < 2000) {
                            complaint.append(line.strip()).append(' ');
                        }
                    }
                }
            } catch (IOException e) {
                // salloc is gone: what it said is what there is.
            }
        });
        CompletableFuture<String> granted = Daemons.supply("procpool-salloc-stdout", () -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(salloc.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("procpool-allocation ")) {
                        return line.substring("procpool-allocation ".length()).strip();
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String id = granted.get(ALLOCATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (id == null || id.isEmpty()) {
                salloc.waitFor(RELEASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                String said;
                synchronized (complaint) {
                    said = complaint.toString().strip();
                }
                throw new IOException("Slurm gave no allocation of " + wanted + " tasks"
                        + (said.isEmpty() ? "" : ": " + said) + "; check the partition and limits with sinfo, or pass "
                        + "--slurm-arg");
            }
            jobId = id;
            tasks = wanted;
            allocation = salloc;
            notices.accept("Slurm allocation " + id + " of " + wanted + " tasks granted; it is given back at the end");
        } catch (TimeoutException e) {
            salloc.destroyForcibly();
            throw new IOException("Slurm gave no allocation of " + wanted + " tasks within " + ALLOCATION_TIMEOUT_SECONDS
                    + " s (see squeue); pass --slurm-arg to ask for less or elsewhere");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            salloc.destroyForcibly();
            throw new IOException("interrupted while waiting for a Slurm allocation");
        } catch (ExecutionException e) {
            salloc.destroyForcibly();
            throw new IOException("cannot read salloc's answer: " + e.getCause());
        }
    }

    /** The allocation's task count: one worker per task. */
    @Override
    public int capacity() {
        synchronized (lock) {
            return jobId == null ? wanted : tasks;
        }
    }

    /** The job id of the allocation in use; null before {@link #prepare}. */
    public String jobId() {
        synchronized (lock) {
            return jobId;
        }
    }

    @Override
    public LaunchedWorker launch(WorkerCommand command) throws IOException {
        String job;
        synchronized (lock) {
            if (jobId == null) {
                throw new IllegalStateException("prepare() first");
            }
            job = jobId;
        }
        List<String> srun = new ArrayList<>(List.of("srun", "--unbuffered", "--quiet", "--exclusive", "-N1", "-n1",
                "--jobid=" + job));
        srun.addAll(command.toIsolatedList());
        // Killing srun ends the whole step on its node, even a worker that reads nothing.
        return new LocalWorker(new ProcessBuilder(srun).start(), "");
    }

    /** Gives back the allocation this launcher asked for (a user's own is theirs). Idempotent. */
    @Override
    public void close() {
        Process holding;
        String job;
        synchronized (lock) {
            holding = allocation;
            job = jobId;
            allocation = null;
        }
        if (holding == null) {
            return;
        }
        try {
            holding.getOutputStream().close(); // its cat ends, and salloc gives the allocation back
            if (!holding.waitFor(RELEASE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                holding.destroyForcibly();
                new ProcessBuilder("scancel", job).start().waitFor(RELEASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            holding.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            holding.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return "Slurm" + (jobId == null ? "" : " allocation " + jobId);
    }
}
