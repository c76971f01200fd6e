package dev.procpool.cli;

import dev.procpool.job.Job;
import dev.procpool.job.JobRegistry;
import java.io.PrintWriter;
import java.util.Locale;

/** Prints {@code --list-jobs}: each job's name, default size and one-line description. Not thread-safe. */
final class JobList {

    private final PrintWriter out;

    JobList(PrintWriter out) {
        this.out = out;
    }

    void print(JobRegistry registry) {
        int width = registry.names().stream().mapToInt(String::length).max().orElse(4);
        String row = "%-" + Math.max(4, width) + "s  %15s  %s%n";
        out.printf(Locale.ROOT, row, "job", "default size", "what it computes");
        for (Job<?, ?> job : registry.jobs()) {
            out.printf(Locale.ROOT, row, job.name(), String.format(Locale.ROOT, "%,d", job.defaultSize()),
                    job.description());
        }
        out.flush();
    }
}
