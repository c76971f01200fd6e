package dev.procpool;

import java.util.List;

/**
 * A task computed a result in a worker process that cannot travel back: its class (or a class inside it) cannot be
 * encoded. The task ran; its result is lost. The message names the class and what to use instead.
 */
public final class ResultNotSendableException extends WorkerException {

    private static final long serialVersionUID = 1L;

    private final String resultClass;

    public ResultNotSendableException(String message, String job, String task, int workerId, long pid,
            String resultClass) {
        super(message, null, job, task, workerId, pid, List.of());
        this.resultClass = resultClass;
    }

    /** The class of the result that could not be encoded. */
    public String resultClass() {
        return resultClass;
    }
}
