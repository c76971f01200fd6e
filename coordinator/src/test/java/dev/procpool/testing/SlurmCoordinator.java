package dev.procpool.testing;

import dev.procpool.JobResult;
import dev.procpool.ProcessPool;
import dev.procpool.WorkerInfo;
import dev.procpool.job.Job;
import dev.procpool.job.JobRegistry;
import dev.procpool.spi.SlurmLauncher;
import java.util.ArrayList;
import java.util.List;

/**
 * A coordinator of its own JVM for the Slurm tests: runs the sqrt job on a process pool whose workers are Slurm job
 * steps, inside the allocation it runs in or in one it asks for, and says on stdout, one line each, what a test needs
 * to check: {@code job ID}, {@code worker NODE PID} for each worker once all are ready, then {@code result BITS} (the
 * sum's raw bits, in hexadecimal) and {@code done}. Notices go to stderr.
 *
 * <p>Arguments: {@code SIZE TASKS WORKERS [SLURM_ARG...]}.
 */
public final class SlurmCoordinator {

    private SlurmCoordinator() {
    }

    public static void main(String[] args) {
        long size = Long.parseLong(args[0]);
        int tasks = Integer.parseInt(args[1]);
        int workers = Integer.parseInt(args[2]);
        List<String> slurmArgs = new ArrayList<>(List.of(args).subList(3, args.length));
        Job<?, ?> sqrt = JobRegistry.loadDefault().get("sqrt");
        try (SlurmLauncher launcher = new SlurmLauncher(workers, slurmArgs, System.getenv(), System.err::println);
                ProcessPool pool = TestPools.builder(workers).launcher(launcher).notices(System.err::println).start()) {
            System.out.println("job " + launcher.jobId());
            for (WorkerInfo worker : pool.workerInfo()) {
                System.out.println("worker " + worker.host() + " " + worker.pid());
            }
            System.out.flush();
            JobResult<?> result = pool.run(sqrt, size, tasks);
            System.out.println("result " + Long.toHexString(Double.doubleToRawLongBits((Double) result.value())));
            System.out.println("done");
        }
    }
}
