package dev.procpool;

import dev.procpool.protocol.RemoteError;
import dev.procpool.protocol.RemoteFrame;

/**
 * An exception thrown in a worker JVM, rebuilt in the coordinator: its {@link #toString()} and stack trace are
 * the remote ones, so a printed stack trace reads as if the task had failed locally. The remote exception's own
 * class is not loaded or instantiated here; {@link #remoteClassName()} names it.
 */
public final class RemoteException extends ProcPoolException {

    private static final long serialVersionUID = 1L;

    private final String remoteClassName;

    private RemoteException(RemoteError error) {
        super(error.message(), error.cause() == null ? null : new RemoteException(error.cause()));
        this.remoteClassName = error.className();
        RemoteFrame[] frames = error.frames();
        StackTraceElement[] trace = new StackTraceElement[frames.length];
        for (int i = 0; i < frames.length; i++) {
            trace[i] = frames[i].toStackTraceElement();
        }
        setStackTrace(trace);
    }

    /** The local stand-in for {@code error} and its causes. */
    public static RemoteException of(RemoteError error) {
        return new RemoteException(error);
    }

    /** The class of the exception the task threw in the worker. */
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
