package dev.procpool;

import java.util.Objects;

/**
 * The thread waiting for a call's outputs ({@code map}, {@code mapAsCompleted}, a job run) was interrupted, so the
 * call gave up waiting: the thread's interrupt flag is set again, the inputs not started yet are dropped, and the
 * runner stays open for other calls. Says which job or function the thread waited for ({@link #job()}) and what for
 * ({@link #waitedFor()}). Immutable.
 */
public final class WaitInterruptedException extends ProcPoolException {

    private static final long serialVersionUID = 1L;

    /** What the interrupted thread was waiting for. */
    public enum Wait {
        /** The results of a job run or of {@code map}, which come in task order. */
        RESULTS,
        /** The next output of a {@code mapAsCompleted} stream, in the order they complete. */
        NEXT_OUTPUT
    }

    private final String job;
    private final Wait waitedFor;

    /**
     * @param job the name of the job or function whose outputs the thread waited for
     * @param waitedFor what it waited for
     */
    public WaitInterruptedException(String job, Wait waitedFor) {
        super(switch (Objects.requireNonNull(waitedFor, "waitedFor")) {
            case RESULTS -> "interrupted while waiting for job " + job + ": the tasks not started yet are dropped; the "
                    + "runner stays open";
            case NEXT_OUTPUT -> "interrupted while waiting for the next output of " + job + ": the inputs not started "
                    + "yet are dropped; the runner stays open";
        });
        this.job = Objects.requireNonNull(job, "job");
        this.waitedFor = waitedFor;
    }

    /** The name of the job, or of the function, whose outputs the thread waited for. */
    public String job() {
        return job;
    }

    /** What the thread waited for: a run's or a map's results, or a stream's next output. */
    public Wait waitedFor() {
        return waitedFor;
    }
}
