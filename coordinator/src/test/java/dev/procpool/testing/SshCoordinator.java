package dev.procpool.testing;

import dev.procpool.JobResult;
import dev.procpool.ProcessPool;
import dev.procpool.WorkerInfo;
import dev.procpool.jobs.SqrtJob;
import dev.procpool.spi.HostSlots;
import dev.procpool.spi.HostsLauncher;
import java.util.List;

/**
 * A coordinator of its own JVM for the SSH tests: runs the sqrt job on a process pool whose workers run over SSH, and
 * says on stdout, one line each, what a test needs to check: {@code worker HOST PID} for each worker once all are
 * ready, then {@code result BITS} (the sum's raw bits, in hexadecimal) and {@code done}. Notices go to stderr.
 *
 * <p>Arguments: {@code SSH_CONFIG REMOTE_JAVA SIZE TASKS ENTRY...}, an entry being {@code alias:N}.
 */
public final class SshCoordinator {

    private SshCoordinator() {
    }

    public static void main(String[] args) {
        List<String> sshArgs = List.of("-F", args[0]);
        String remoteJava = args[1];
        long size = Long.parseLong(args[2]);
        int tasks = Integer.parseInt(args[3]);
        List<HostSlots> entries = List.of(args).subList(4, args.length).stream().map(HostSlots::parse).toList();
        int workers = entries.stream().mapToInt(HostSlots::workers).sum();
        try (HostsLauncher launcher = new HostsLauncher(entries, sshArgs, remoteJava, System.err::println);
                ProcessPool pool = SshPools.builder(launcher, workers, System.err::println).start()) {
            for (WorkerInfo worker : pool.workerInfo()) {
                System.out.println("worker " + worker.host() + " " + worker.pid());
            }
            System.out.flush();
            JobResult<Double> result = pool.run(new SqrtJob(), size, tasks);
            System.out.println("result " + Long.toHexString(Double.doubleToRawLongBits(result.value())));
            System.out.println("done");
        }
    }
}
