package dev.procpool.spi;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Starts each worker as a Slurm job step: {@code srun --unbuffered --quiet --exclusive -N1 -n1 --jobid=J}, one CPU
 * each, placed by Slurm on a node of the allocation (the worker's handshake says which). Inside an allocation
 * ({@code SLURM_JOB_ID} set, as under {@code salloc} or {@code sbatch}) it uses that one, with as many workers as it
 * has tasks; outside, {@link #prepare} asks for an allocation of the workers wanted ({@code salloc}, with the user's
 * own arguments: partition, time, account) and {@link #close} gives it back; it is given back too if this JVM dies,
 * even by SIGKILL (see {@link SlurmAllocation}). Only {@code --unbuffered} makes {@code srun} pass binary data through
 * at once.
 *
 * <p>{@code srun} forwards a step's standard input and output in messages of at most {@value #IO_MESSAGE_BYTES} bytes,
 * and before Slurm 24.05 over sockets without {@code TCP_NODELAY}: each message that follows one not yet acknowledged
 * waits for the peer's next write or its delayed acknowledgement. Measured on Slurm 22.05, a 3,000-byte exchange took
 * 44 ms where 1,000 bytes took 0.3 ms; so {@link #batchFrameBytes()} keeps the pool's frames within one message.
 *
 * <p>The workers' class path must be where they run: by default on a file system the nodes share, at the same paths;
 * with a node-local directory, {@link #prepare} copies it there with {@code sbcast} (see {@link SlurmBroadcast}), once
 * per allocation and only the files a node lacks, and the workers run from those copies. Either way the {@code java}
 * that runs the workers is at the same path on the nodes as here.
 *
 * <p>Killing a worker ends its step, and so frees its CPU for a replacement, whatever the worker is doing (see {@link
 * SlurmStep}).
 *
 * <p>Before any worker starts, {@link #prepare} checks with one step on every node that the nodes can run workers
 * (their {@code java}, their class path), and fails with one line naming the nodes that cannot and what to do.
 *
 * <p>Thread-safe: the allocation and where the class path is on the nodes are guarded by this launcher's lock, which
 * is never held while Slurm is asked something that may take long; launches only read them.
 */
public final class SlurmLauncher implements WorkerLauncher {

    /** The most a message of {@code srun}'s standard input and output forwarding carries: Slurm's {@code SLURM_IO_MAX_MSG_LEN}. */
    static final int IO_MESSAGE_BYTES = 1024;

    private final int wanted;
    private final List<String> slurmArgs;
    private final Map<String, String> environment;
    private final Consumer<String> notices;
    /** Where the class path is copied on each node; null when the nodes share this machine's files. */
    private final Path nodeLocalDirectory;
    /** How long {@link #prepare} waits for Slurm to grant the allocation it asks for. */
    private final Duration grantTimeout;
    private final Object lock = new Object();
    /** Held by {@link #prepare} throughout, so that one runs at a time; nothing else takes it. */
    private final Object preparing = new Object();
    /** Completed by {@link #close}: a request for an allocation still waiting is withdrawn then. */
    private final CompletableFuture<Void> closing = new CompletableFuture<>();
    /** Guarded by {@code lock}: null before {@link #prepare} and after {@link #close}. */
    private SlurmAllocation allocation;
    /** Guarded by {@code lock}: where each class path entry found on every node is there (a copy, or itself). */
    private final Map<Path, String> onNodes = new HashMap<>();
    /** Guarded by {@code lock}: the allocation's CPUs when it was prepared; -1 if Slurm did not say. */
    private int cpusAtStart = -1;
    /** Guarded by {@code lock}: how many workers fit in the allocation now; fewer once it has lost a node. */
    private int fit;

    /**
     * A launcher whose workers run from the class path as it is: on a file system the nodes share.
     *
     * @param wanted how many workers to ask for outside an allocation; inside one, its task count decides
     * @param slurmArgs the user's arguments for the allocation request (outside one): partition, time, account
     * @param environment this process's environment, where {@code SLURM_JOB_ID} and {@code SLURM_NTASKS} say
     *     whether it runs inside an allocation
     * @param notices where the launcher says what it did (asked for an allocation, copied files)
     */
    public SlurmLauncher(int wanted, List<String> slurmArgs, Map<String, String> environment,
            Consumer<String> notices) {
        this(wanted, slurmArgs, environment, notices, null, false, SlurmAllocation.GRANT_TIMEOUT);
    }

    /**
     * A launcher that copies the workers' class path with {@code sbcast} into {@code nodeLocalDirectory} on every node
     * of the allocation (made if missing), each file under a directory named by the hash of its content, and runs the
     * workers from there: for clusters whose nodes do not share this machine's files, or to spare a shared file
     * system the load of every worker reading its jars.
     *
     * @param nodeLocalDirectory an absolute path that every node can write to, such as {@code /tmp/procpool}
     * @see #SlurmLauncher(int, List, Map, Consumer)
     */
    public SlurmLauncher(int wanted, List<String> slurmArgs, Map<String, String> environment,
            Consumer<String> notices, Path nodeLocalDirectory) {
        this(wanted, slurmArgs, environment, notices, Objects.requireNonNull(nodeLocalDirectory, "nodeLocalDirectory"),
                true, SlurmAllocation.GRANT_TIMEOUT);
    }

    private SlurmLauncher(int wanted, List<String> slurmArgs, Map<String, String> environment,
            Consumer<String> notices, Path nodeLocalDirectory, boolean copying, Duration grantTimeout) {
        if (wanted < 1) {
            throw new IllegalArgumentException("wanted must be at least 1, was " + wanted);
        }
        if (grantTimeout.isNegative() || grantTimeout.isZero()) {
            throw new IllegalArgumentException("grantTimeout must be positive, was " + grantTimeout);
        }
        if (copying && !nodeLocalDirectory.isAbsolute()) {
            throw new IllegalArgumentException("nodeLocalDirectory must be an absolute path, was " + nodeLocalDirectory);
        }
        this.wanted = wanted;
        this.slurmArgs = List.copyOf(slurmArgs);
        this.environment = Map.copyOf(environment);
        this.notices = Objects.requireNonNull(notices, "notices");
        this.nodeLocalDirectory = nodeLocalDirectory;
        this.grantTimeout = grantTimeout;
    }

    /**
     * A launcher like this one that waits at most {@code limit} (default 120 s) for Slurm to grant the allocation it
     * asks for outside one; past that, {@link #prepare} withdraws the request from the queue and fails.
     */
    public SlurmLauncher withGrantTimeout(Duration limit) {
        Objects.requireNonNull(limit, "limit");
        return new SlurmLauncher(wanted, slurmArgs, environment, notices, nodeLocalDirectory,
                nodeLocalDirectory != null, limit);
    }

    /** Whether this process runs inside a Slurm allocation. */
    public static boolean insideAllocation(Map<String, String> environment) {
        return SlurmAllocation.inside(environment);
    }

    /**
     * Uses the allocation this process runs in, or asks for one of the workers wanted and waits for it; then, with a
     * node-local directory, copies the class path of {@code template} there; then checks, with one step on every node,
     * that the workers' {@code java} is Java 25 or later there and that their class path is there. Slurm's answers are
     * awaited outside the launcher's lock: {@link #close} during this withdraws a request still queued, gives back an
     * allocation granted meanwhile, and makes this fail.
     *
     * @throws IOException if Slurm gives no allocation, the files cannot be copied, or a node cannot run workers:
     *     Slurm's own words or the node's, and what to do
     */
    @Override
    public void prepare(WorkerCommand template) throws IOException {
        synchronized (preparing) { // one prepare at a time; close() and launches never wait on this
            SlurmAllocation current;
            List<Path> unchecked;
            synchronized (lock) {
                throwIfClosed();
                current = allocation;
                unchecked = template.classpath().stream().filter(entry -> !onNodes.containsKey(entry)).toList();
            }
            boolean asked = current == null && !insideAllocation(environment);
            if (current == null) {
                current = allocate();
            }
            try {
                if (unchecked.isEmpty()) {
                    return;
                }
                Map<Path, String> there = new LinkedHashMap<>();
                if (nodeLocalDirectory == null) {
                    unchecked.forEach(entry -> there.put(entry, entry.toString()));
                } else {
                    there.putAll(SlurmBroadcast.copy(current, nodeLocalDirectory, unchecked, notices));
                }
                SlurmNodeCheck.check(current, template.java(), List.copyOf(there.values()), nodeLocalDirectory == null
                        ? "put the class path on a file system the nodes share, at the same paths, or copy it to their "
                                + "local disks with --slurm-copy-to=DIR"
                        : "check that " + nodeLocalDirectory + " can be read there");
                synchronized (lock) {
                    throwIfClosed();
                    onNodes.putAll(there);
                }
            } catch (IOException | RuntimeException e) {
                if (asked) {
                    giveBack(current); // no worker will use it
                }
                throw e;
            }
        }
    }

    /** {@value #IO_MESSAGE_BYTES}: see the class's description. */
    @Override
    public int batchFrameBytes() {
        return IO_MESSAGE_BYTES;
    }

    /**
     * Takes the allocation this process runs in, or asks for one and waits for it, outside the lock; then keeps it
     * unless this launcher was closed meanwhile (it is then given back).
     */
    private SlurmAllocation allocate() throws IOException {
        SlurmAllocation current;
        if (insideAllocation(environment)) {
            current = SlurmAllocation.current(environment);
        } else {
            current = SlurmAllocation.request(wanted, slurmArgs, grantTimeout, closing);
            notices.accept("Slurm allocation " + current.jobId() + " of " + wanted + " tasks on " + current.nodes()
                    + " node(s) granted; it is given back at the end");
        }
        int cpus = current.cpusNow();
        synchronized (lock) {
            if (!closing.isDone()) {
                allocation = current;
                fit = current.tasks();
                cpusAtStart = cpus;
                return current;
            }
        }
        current.release();
        throw closedWhilePreparing();
    }

    /** Stops using {@code given}, if it is still in use, and gives it back if this launcher asked for it. */
    private void giveBack(SlurmAllocation given) {
        synchronized (lock) {
            if (allocation == given) {
                allocation = null;
            }
        }
        given.release();
    }

    /** Under the lock. */
    private void throwIfClosed() throws IOException {
        if (closing.isDone()) {
            throw closedWhilePreparing();
        }
    }

    private static IOException closedWhilePreparing() {
        return new IOException("the Slurm launcher was closed before its workers could start");
    }

    /**
     * How many workers fit in the allocation now: one per task, or fewer once it has lost a node (asked of Slurm at each
     * call, which a pool makes before it launches a replacement); before {@link #prepare}, the workers wanted.
     */
    @Override
    public int capacity() {
        SlurmAllocation current;
        synchronized (lock) {
            if (allocation == null || cpusAtStart <= 0) {
                return allocation == null ? wanted : fit;
            }
            current = allocation;
        }
        int cpus = current.cpusNow(); // outside the lock: Slurm may take its time to answer
        synchronized (lock) {
            if (current != allocation || cpus <= 0) {
                return allocation == null ? wanted : fit;
            }
            int fitsNow = (int) ((long) current.tasks() * cpus / cpusAtStart);
            if (fitsNow < fit) {
                fit = fitsNow;
                notices.accept("Slurm job " + current.jobId() + " has lost nodes: " + cpus + " of its " + cpusAtStart
                        + " CPUs are left, room for " + fitsNow + (fitsNow == 1 ? " worker" : " workers"));
            }
            return fit;
        }
    }

    /** The job id of the allocation in use; null before {@link #prepare} and after {@link #close}. */
    public String jobId() {
        synchronized (lock) {
            return allocation == null ? null : allocation.jobId();
        }
    }

    @Override
    public LaunchedWorker launch(WorkerCommand command) throws IOException {
        String job;
        List<String> classpath = new ArrayList<>();
        synchronized (lock) {
            if (allocation == null) {
                throw new IllegalStateException(closing.isDone() ? "closed" : "prepare() first");
            }
            job = allocation.jobId();
            for (Path entry : command.classpath()) {
                String there = onNodes.get(entry);
                if (there == null) {
                    throw new IOException("class path entry " + entry + " was not checked on the nodes: prepare() "
                            + "with a command that has it first");
                }
                classpath.add(there);
            }
        }
        List<String> srun = new ArrayList<>(List.of("srun", "--unbuffered", "--quiet", "--exclusive", "-N1", "-n1",
                "--jobid=" + job));
        srun.addAll(command.toIsolatedList(command.java(), classpath));
        // Tied to this JVM: if it dies, even by SIGKILL, srun gets SIGTERM and ends the step, even one whose worker is
        // stopped and cannot read the end of its stdin.
        return new SlurmStep(TiedProcess.start(new ProcessBuilder(srun), TiedProcess.DeathSignal.TERM));
    }

    /**
     * Gives back the allocation this launcher asked for (a user's own is theirs), or withdraws its request if it is still
     * waiting for one; the launcher cannot be prepared again. Idempotent.
     */
    @Override
    public void close() {
        SlurmAllocation releasing;
        synchronized (lock) {
            releasing = allocation;
            allocation = null;
            onNodes.clear();
        }
        closing.complete(null);
        if (releasing != null) {
            releasing.release();
        }
    }

    @Override
    public String toString() {
        String job = jobId();
        return "Slurm" + (job == null ? "" : " allocation " + job);
    }
}
