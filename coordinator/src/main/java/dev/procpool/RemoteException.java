package dev.procpool;

/**
 * An exception a task threw, as every runner reports it: rebuilt from its class name, message, stack trace and causes
 * (in a worker JVM, from what the worker sent; on a thread of this JVM, from the exception itself), so that a task's
 * failure has the same shape whatever ran it. Its {@link #toString()} and stack trace are the task's own, so a printed
 * stack trace reads as if the task had failed here. The original exception's class is not loaded or instantiated;
 * {@link #remoteClassName()} names it.
 */
public final class RemoteException extends ProcPoolException {

    private static final long serialVersionUID = 1L;

    private final String remoteClassName;

    private RemoteException(String className, String message, StackTraceElement[] stackTrace, RemoteException cause) {
        super(message, cause);
        this.remoteClassName = className;
        setStackTrace(stackTrace);
    }

    /**
     * The local stand-in for a remote exception.
     *
     * @param className the class of the exception the task threw
     * @param message its message, or null
     * @param stackTrace its stack trace
     * @param cause the stand-in for its cause, or null
     */
    public static RemoteException of(String className, String message, StackTraceElement[] stackTrace,
            RemoteException cause) {
        if (className == null) {
            throw new IllegalArgumentException("className is null");
        }
        return new RemoteException(className, message, stackTrace.clone(), cause);
    }

    /** The class of the exception the task threw. */
    public String remoteClassName() {
        return remoteClassName;
    }

    /** {@code remoteClassName: message}, exactly as the remote exception printed itself. */
    @Override
    public String toString() {
        String message = getMessage();
        return message == null ? remoteClassName : remoteClassName + ": " + message;
    }
}
