package dev.procpool.spi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Slurm allocation that workers run in as job steps: the one this process runs inside ({@code salloc},
 * {@code sbatch}), or one asked for with {@code salloc} and held by it until {@link #release()}. The held one's
 * {@code salloc} runs {@code cat} with its stdin a pipe from this JVM: when the pipe closes, because this JVM released
 * it or died (even by SIGKILL), {@code cat} ends and {@code salloc} gives the allocation back, and Slurm ends its steps.
 * It is asked for with {@code --no-kill}, so that a node lost costs only the workers on it, and under a job name of its
 * own ({@code procpool-} and a random id), so that a request given up on while it still waits in the queue can be
 * cancelled by that name: killing {@code salloc} alone leaves a pending request queued. Thread-safe.
 */
final class SlurmAllocation {

    /** How long {@link #request} waits for Slurm to grant an allocation, unless told otherwise. */
    static final Duration GRANT_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern NUM_CPUS = Pattern.compile("\\bNumCPUs=([0-9]{1,9})\\b");
    private static final String GRANTED = "procpool-allocation ";
    private static final String NAME_PREFIX = "procpool-";
    /** What the held {@code salloc} runs: says which allocation it got, then holds it until its stdin ends. */
    private static final String HOLD = "echo \"" + GRANTED + "$SLURM_JOB_ID ${SLURM_JOB_NUM_NODES:-$SLURM_NNODES}\"; "
            + "exec cat > /dev/null";

    private final String jobId;
    /** The job name it was asked for under; null for the allocation this process runs inside. */
    private final String jobName;
    private final int tasks;
    private final int nodes;
    /** The {@code salloc} holding it; null for the allocation this process runs inside. */
    private final Process holder;

    private SlurmAllocation(String jobId, String jobName, int tasks, int nodes, Process holder) {
        this.jobId = jobId;
        this.jobName = jobName;
        this.tasks = tasks;
        this.nodes = nodes;
        this.holder = holder;
    }

    /** Whether {@code environment} is that of a process inside an allocation. */
    static boolean inside(Map<String, String> environment) {
        String job = environment.get("SLURM_JOB_ID");
        return job != null && !job.isBlank();
    }

    /** The allocation this process runs inside, as its environment describes it. */
    static SlurmAllocation current(Map<String, String> environment) {
        int tasks = count(environment, List.of("SLURM_NTASKS", "SLURM_NPROCS"), -1);
        int nodes = count(environment, List.of("SLURM_JOB_NUM_NODES", "SLURM_NNODES"), 1);
        return new SlurmAllocation(environment.get("SLURM_JOB_ID").strip(), null, tasks > 0 ? tasks : nodes, nodes, null);
    }

    private static int count(Map<String, String> environment, List<String> variables, int otherwise) {
        for (String variable : variables) {
            String value = environment.get(variable);
            if (value != null && value.strip().matches("[0-9]{1,9}")) {
                return Integer.parseInt(value.strip());
            }
        }
        return otherwise;
    }

    /**
     * Asks Slurm for an allocation of {@code tasks} tasks and waits until it is granted, at most {@code limit}, or until
     * {@code givenUp} completes. On every way this can fail (Slurm refuses, the limit passes, the request is given up,
     * the wait is interrupted, salloc's answer cannot be read), the request is withdrawn: {@code salloc} is killed and
     * the job of its name cancelled, so that nothing is left in the queue.
     *
     * @param slurmArgs the user's arguments for {@code salloc}: partition, time, account, node counts
     * @param givenUp completes when the allocation is no longer wanted (its launcher was closed)
     * @throws IOException if Slurm gives none: what {@code salloc} said, on one line, and what to do
     */
    static SlurmAllocation request(int tasks, List<String> slurmArgs, Duration limit, CompletableFuture<?> givenUp)
            throws IOException {
        String name = NAME_PREFIX + HexFormat.of().formatHex(randomBytes());
        List<String> command = new ArrayList<>(List.of("salloc", "--quiet", "--no-kill", "-n", Integer.toString(tasks)));
        command.addAll(slurmArgs);
        command.add("--job-name=" + name); // after the user's: the name it is withdrawn by must be this one
        command.addAll(List.of("/bin/sh", "-c", HOLD));
        Process salloc;
        try {
            salloc = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new IOException("cannot run salloc (" + e.getMessage() + "): is Slurm's client installed here?");
        }
        StringBuilder said = new StringBuilder();
        CompletableFuture<Void> complaints = Daemons.run("procpool-salloc-stderr", () -> collect(salloc, said));
        CompletableFuture<String> granted = Daemons.supply("procpool-salloc-stdout", () -> grantLine(salloc));
        try {
            CompletableFuture.anyOf(granted, givenUp).get(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!granted.isDone()) {
                withdraw(salloc, name);
                throw new IOException("the request " + name + " for a Slurm allocation was withdrawn: its launcher was "
                        + "closed while it waited");
            }
            String line = granted.get();
            String[] words = line == null ? new String[0] : line.strip().split("\\s+");
            if (words.length == 0 || words[0].isEmpty()) {
                salloc.waitFor(RELEASE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                complaints.get(RELEASE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                withdraw(salloc, name);
                String why = oneLine(said);
                throw new IOException("Slurm gave no allocation of " + tasks + " tasks (request " + name + ")"
                        + (why.isEmpty() ? ": salloc exited with status " + exitStatus(salloc) : ": " + why)
                        + "; check the partition and limits with sinfo, or pass --slurm-arg");
            }
            int nodes = words.length > 1 && words[1].matches("[0-9]{1,9}") ? Integer.parseInt(words[1]) : 1;
            return new SlurmAllocation(words[0], name, tasks, nodes, salloc);
        } catch (TimeoutException e) {
            withdraw(salloc, name);
            throw new IOException("Slurm gave no allocation of " + tasks + " tasks within " + seconds(limit)
                    + (oneLine(said).isEmpty() ? "" : " (" + oneLine(said) + ")")
                    + "; the request " + name + " was withdrawn; see squeue, or pass --slurm-arg to ask for less or "
                    + "elsewhere");
        } catch (InterruptedException e) {
            withdraw(salloc, name);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a Slurm allocation; the request " + name
                    + " was withdrawn");
        } catch (ExecutionException e) {
            withdraw(salloc, name);
            throw new IOException("cannot read salloc's answer: " + e.getCause() + "; the request " + name
                    + " was withdrawn");
        }
    }

    /**
     * Withdraws a request that will not be used: kills its {@code salloc}, which leaves a pending request queued, then
     * cancels the job of its name, pending or granted. Bounded; never throws; keeps the interrupt flag as it finds it.
     */
    private static void withdraw(Process salloc, String name) {
        salloc.destroyForcibly();
        boolean interrupted = Thread.interrupted(); // so that the bounded waits below still wait
        try {
            salloc.waitFor(RELEASE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            cancel(name);
        } catch (InterruptedException e) {
            interrupted = true;
            cancel(name);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Cancels this user's job named {@code name}, if there is one. Bounded; a failure is left to Slurm's own limits. */
    private static void cancel(String name) {
        try {
            ShortCommand.run(List.of("scancel", "--quiet", "--name=" + name, "--user=" + System.getProperty("user.name")),
                    RELEASE_TIMEOUT);
        } catch (IOException e) {
            // scancel did not answer in time: nothing more can be done from here.
        }
    }

    private static byte[] randomBytes() {
        byte[] id = new byte[6];
        new SecureRandom().nextBytes(id);
        return id;
    }

    private static String seconds(Duration limit) {
        return limit.toMillis() % 1000 == 0 ? limit.toSeconds() + " s" : limit.toMillis() + " ms";
    }

    /** The first line the holding shell printed: {@code JOBID NODES}; null if salloc ended without one. */
    private static String grantLine(Process salloc) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(salloc.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(GRANTED)) {
                    return line.substring(GRANTED.length());
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void collect(Process salloc, StringBuilder said) {
        try (BufferedReader errors = new BufferedReader(new InputStreamReader(salloc.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = errors.readLine()) != null) {
                synchronized (said) {
                    if (said.length() < 2000 && !line.isBlank()) {
                        said.append(line.strip()).append(' ');
                    }
                }
            }
        } catch (IOException e) {
            // salloc is gone: what it said is what there is.
        }
    }

    private static String oneLine(StringBuilder said) {
        synchronized (said) {
            return said.toString().strip();
        }
    }

    private static String exitStatus(Process process) {
        return process.isAlive() ? "unknown" : Integer.toString(process.exitValue());
    }

    String jobId() {
        return jobId;
    }

    /** The job name it was asked for under, {@code procpool-} and a random id; null for one this process runs inside. */
    String jobName() {
        return jobName;
    }

    /** How many tasks it has: one worker each. */
    int tasks() {
        return tasks;
    }

    /** How many nodes it spans. */
    int nodes() {
        return nodes;
    }

    /**
     * How many CPUs the allocation has now, as {@code scontrol} says: fewer than it started with once it has lost a
     * node. -1 if Slurm does not say.
     */
    int cpusNow() {
        try {
            ShortCommand.Result shown = ShortCommand.run(List.of("scontrol", "-o", "show", "job", jobId), QUERY_TIMEOUT);
            Matcher cpus = NUM_CPUS.matcher(shown.stdout());
            return shown.status() == 0 && cpus.find() ? Integer.parseInt(cpus.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Runs {@code command} once on every node, as one job step beside any workers ({@code --overlap}), and waits for it
     * at most {@code limit}.
     */
    ShortCommand.Result runOnEveryNode(List<String> command, Duration limit) throws IOException {
        String count = Integer.toString(nodes);
        List<String> srun = new ArrayList<>(List.of("srun", "--quiet", "--overlap", "--jobid=" + jobId, "-N", count,
                "-n", count, "--ntasks-per-node=1"));
        srun.addAll(command);
        return ShortCommand.run(srun, limit);
    }

    /** Whether this JVM asked for it (and so gives it back). */
    boolean held() {
        return holder != null;
    }

    /**
     * Gives back an allocation this JVM asked for; one it runs inside is left alone. Waits a bounded time for
     * {@code salloc} to end, then kills it and cancels the job. Idempotent.
     */
    void release() {
        if (holder == null || !holder.isAlive()) {
            return;
        }
        try {
            holder.getOutputStream().close(); // its cat ends, and salloc gives the allocation back
            if (!holder.waitFor(RELEASE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                holder.destroyForcibly();
                ShortCommand.run(List.of("scancel", jobId), RELEASE_TIMEOUT);
            }
        } catch (IOException e) {
            holder.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            holder.destroyForcibly();
        }
    }
}
