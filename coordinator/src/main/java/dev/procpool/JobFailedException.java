package dev.procpool;

import java.util.List;

/** A job run failed because one or more of its tasks did; {@link #failures()} lists them in the order seen. */
public final class JobFailedException extends ProcPoolException {

    private static final long serialVersionUID = 1L;

    private final String job;
    private final transient List<TaskError> failures;

    public JobFailedException(String job, List<TaskError> failures) {
        super(message(job, failures), failures.isEmpty() ? null : failures.get(0).cause());
        this.job = job;
        this.failures = List.copyOf(failures);
    }

    public String job() {
        return job;
    }

    public List<TaskError> failures() {
        return failures;
    }

    private static String message(String job, List<TaskError> failures) {
        if (failures.size() == 1) {
            return "job " + job + " failed: " + failures.get(0).describe();
        }
        return "job " + job + " failed: " + failures.size() + " tasks failed, the first " + failures.get(0).describe();
    }
}
