package dev.procpool;

/**
 * A job or function cannot reach the worker processes, so none of its tasks runs there: it cannot be encoded (a lambda,
 * a class with fields, a collection among its types; refused when it is first used, before anything is sent), or a
 * worker cannot make it from its class path (its class is missing there, or is another version of it). The message
 * says which, and what to do.
 */
public final class JobNotSendableException extends ProcPoolException {

    private static final long serialVersionUID = 1L;

    private final String job;
    private final String jobClass;

    /**
     * @param job the job's name (a function's class name without its package)
     * @param jobClass the class of the job or function
     * @param message what cannot travel or be made, and what to do
     */
    public JobNotSendableException(String job, String jobClass, String message, Throwable cause) {
        super(message, cause);
        this.job = job;
        this.jobClass = jobClass;
    }

    /** The job's name, or a function's class name without its package. */
    public String job() {
        return job;
    }

    /** The class of the job or function. */
    public String jobClass() {
        return jobClass;
    }
}
