package dev.procpool.demo;

import dev.procpool.job.Range;
import dev.procpool.jobs.DemoSqrtJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * What each kind of the demo's tasks does, the same in both runs: a compute, a download (blocking, or
 * asynchronous), a series of 1 ms waits. Each returns its outcome as text, which both runs must agree on.
 * Thread-safe: the mixed run calls it from many threads at once.
 */
final class Workload {

    /** Time a request may take beyond the server's delay before the download fails. */
    private static final Duration SLACK = Duration.ofSeconds(30);

    private final DemoSettings settings;
    private final HttpClient client;
    private final PageServer server;
    private final DemoSqrtJob job = new DemoSqrtJob();

    Workload(DemoSettings settings, HttpClient client, PageServer server) {
        this.settings = settings;
        this.client = client;
        this.server = server;
    }

    /** Where the page server serves its pages. */
    URI pages() {
        return server.pages();
    }

    DemoSqrtJob job() {
        return job;
    }

    /** The task a compute hands to the job: every turn of {@code [0, turns)}. */
    Range computeTask() {
        return job.task(settings.turns(), 1, 0);
    }

    /** A compute in this thread. */
    String compute() {
        return job.format(job.compute(computeTask()));
    }

    /** The outcome of a compute done elsewhere, as {@link #compute()} would give it. */
    String computed(double sum) {
        return job.format(sum);
    }

    /** Downloads page {@code number}, blocking this thread until the whole page is in. */
    String download(int number) throws IOException, InterruptedException {
        HttpRequest request = request(number);
        return check(request, client.send(request, BodyHandlers.ofByteArray()));
    }

    /** Downloads page {@code number} without a thread waiting for it: the future completes when it is in. */
    CompletableFuture<String> downloadAsync(int number) {
        HttpRequest request = request(number);
        return client.sendAsync(request, BodyHandlers.ofByteArray()).thenApply(response -> {
            try {
                return check(request, response);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Waits {@link DemoSettings#waits()} times {@link DemoSettings#WAIT}, one after another. */
    String waits() throws InterruptedException {
        for (int i = 0; i < settings.waits(); i++) {
            // Waiting is this task's whole work: it stands for a thousand small waits on something outside.
            Thread.sleep(DemoSettings.WAIT);
        }
        return String.format(Locale.ROOT, "%d waits", settings.waits());
    }

    private HttpRequest request(int number) {
        URI page = server.page(number);
        return HttpRequest.newBuilder(page).timeout(settings.latency().plus(SLACK)).GET().build();
    }

    private String check(HttpRequest request, HttpResponse<byte[]> response) throws IOException {
        if (response.statusCode() != 200 || response.body().length != settings.pageBytes()) {
            throw new IOException("GET " + request.uri() + " answered " + response.statusCode() + " with "
                    + response.body().length + " bytes; expected 200 with " + settings.pageBytes());
        }
        return String.format(Locale.ROOT, "%d bytes", response.body().length);
    }
}
