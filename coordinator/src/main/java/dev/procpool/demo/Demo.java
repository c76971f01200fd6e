package dev.procpool.demo;

import dev.procpool.ProcPoolException;
import dev.procpool.ProcessPoolBuilder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The classic concurrency demo: its eleven tasks run one after another, then each on the executor that suits it,
 * against a page server started for the demo and stopped at its end. Stateless; each {@link #run} has its own
 * server, client and pool.
 */
final class Demo {

    /** How long the client may take to connect to the page server. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long the HTTP client has to finish its exchanges once the runs are over. */
    private static final Duration CLIENT_CLOSE = Duration.ofSeconds(5);
    /** How long the first exchange with the page server may take. */
    private static final Duration WARM_UP_LIMIT = Duration.ofMinutes(1);

    private Demo() {
    }

    /**
     * Runs both runs. {@code pool} starts the mixed run's process pool; its worker count is set from
     * {@code settings}. The mixed run may take twice the sequential run and a minute more before it is stopped.
     */
    static DemoOutcome run(DemoSettings settings, ProcessPoolBuilder pool) throws InterruptedException {
        List<DemoTask> tasks = DemoTask.eleven();
        double loadAverage = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        try (PageServer server = startServer(settings)) {
            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(CONNECT_TIMEOUT)
                    .build();
            try {
                Workload workload = new Workload(settings, client, server);
                warmUp(workload);
                RunResult sequential = new SequentialRun(workload).run(tasks);
                Duration limit = Duration.ofNanos((long) (2 * sequential.totalSeconds() * 1e9)).plusMinutes(1);
                RunResult mixed = new MixedRun(workload, pool.workers(settings.workers())).run(tasks, limit);
                return new DemoOutcome(settings, server.pages(), sequential, mixed, loadAverage);
            } finally {
                close(client);
            }
        }
    }

    /**
     * Fetches page 0 both ways, untimed, so that neither run pays for loading the JDK's HTTP client (measured: the
     * first download of a fresh JVM took 0.6 s longer than the others on a busy machine).
     */
    private static void warmUp(Workload workload) throws InterruptedException {
        CompletableFuture<String> async = workload.downloadAsync(0);
        try {
            workload.download(0);
            async.get(WARM_UP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException | ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new ProcPoolException("the demo's page server at " + workload.pages() + " did not answer a first "
                    + "request: " + (e instanceof TimeoutException ? "no answer within "
                    + WARM_UP_LIMIT.toSeconds() + " s" : cause.toString()), cause);
        }
    }

    private static PageServer startServer(DemoSettings settings) {
        try {
            return PageServer.start(settings.pageBytes(), settings.latency());
        } catch (IOException e) {
            throw new ProcPoolException("cannot start the demo's page server on 127.0.0.1: " + e, e);
        }
    }

    /** Lets exchanges still open end for a bounded time, then aborts them. */
    private static void close(HttpClient client) {
        client.shutdown();
        try {
            if (!client.awaitTermination(CLIENT_CLOSE)) {
                client.shutdownNow();
            }
        } catch (InterruptedException e) {
            client.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
