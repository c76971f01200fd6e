package dev.procpool.cli.options;

import dev.procpool.ProcessPoolConfig;
import dev.procpool.job.Job;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The checks the commands make of their options, written once: each failure is a usage error (exit 2) that says in
 * one line which option, what it accepts, and what it got. One per command invocation.
 */
public final class Checks {

    private final CommandSpec command;

    /** @param command the command whose options these are, for the usage error */
    public Checks(CommandSpec command) {
        this.command = command;
    }

    /** {@code value} lies in {@code [min, max]}. */
    public void range(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw usage(option + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    /** A count of worker processes: 1 to {@link ProcessPoolConfig#MAX_WORKERS}. */
    public void workerProcesses(String option, int workers) {
        range(option, workers, 1, ProcessPoolConfig.MAX_WORKERS);
    }

    /** Retries of a task whose worker died: 0 to {@link ProcessPoolConfig#MAX_RETRIES}. */
    public void retries(String option, int retries) {
        range(option, retries, 0, ProcessPoolConfig.MAX_RETRIES);
    }

    /** A size {@code job} accepts, from {@code min} (at least 1) to its largest. */
    public void size(String option, Job<?, ?> job, long size, long min) {
        if (size < min || size > job.maxSize()) {
            throw usage(option + " must be between " + min + " and " + job.maxSize() + " for job " + job.name()
                    + ", got " + size);
        }
    }

    /** A usage error with this message. */
    public ParameterException usage(String message) {
        return new ParameterException(command.commandLine(), message);
    }
}
