package dev.procpool.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.List;

/**
 * The machine report: one JSON object per line per run, then one with {@code match}, {@code workload} and
 * {@code advice}. A run's object carries what the run cost and what its tasks themselves used ({@code taskWallSeconds},
 * {@code taskCpuSeconds} where measured, {@code taskReadySeconds}: the time they waited for a core), and for processes
 * where the workers ran ({@code workersOn}: host, workers, launchSeconds). Not thread-safe.
 */
final class JsonReport implements Report {

    private final PrintWriter out;
    private final Gson gson = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();
    private String job;
    private long size;

    JsonReport(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void header(String job, long size, int tasks, List<Integer> workerCounts) {
        this.job = job;
        this.size = size;
    }

    @Override
    public void mode(ModeResult result, ModeResult baseline) {
        JsonObject line = new JsonObject();
        line.addProperty("mode", result.mode().label());
        line.addProperty("job", job);
        line.addProperty("size", size);
        line.addProperty("workers", result.workers());
        line.addProperty("tasks", result.tasks());
        line.addProperty("wallSeconds", result.wallSeconds());
        line.addProperty("startupSeconds", result.startupSeconds());
        line.addProperty("cpuSeconds", result.cpuSeconds());
        if (!Double.isNaN(result.peakMebibytes())) {
            line.addProperty("peakMemoryMiB", result.peakMebibytes());
        }
        result.peakThreads().ifPresent(threads -> line.addProperty("peakThreads", threads));
        TaskTime tasks = result.taskTime();
        line.addProperty("taskWallSeconds", tasks.wallSeconds());
        if (!Double.isNaN(tasks.cpuSeconds())) {
            line.addProperty("taskCpuSeconds", tasks.cpuSeconds());
        }
        line.addProperty("taskReadySeconds", tasks.readySeconds());
        double speedup = result.speedup(baseline);
        if (!Double.isNaN(speedup)) {
            line.addProperty("speedup", speedup);
            line.addProperty("efficiency", result.efficiency(baseline));
        }
        line.addProperty("result", result.result());
        if (!result.placement().isEmpty()) {
            JsonArray hosts = new JsonArray();
            for (Placement placement : result.placement()) {
                JsonObject host = new JsonObject();
                host.addProperty("host", placement.host());
                host.addProperty("workers", placement.workers());
                host.addProperty("launchSeconds", placement.launch().toNanos() / 1e9);
                hosts.add(host);
            }
            line.add("workersOn", hosts);
        }
        out.println(gson.toJson(line));
        out.flush();
    }

    @Override
    public void verdict(boolean match, int runs, Lesson lesson) {
        JsonObject line = new JsonObject();
        line.addProperty("match", match);
        line.addProperty("workload", lesson.kind());
        line.addProperty("advice", lesson.text());
        out.println(gson.toJson(line));
        out.flush();
    }
}
