package dev.procpool.internal;

import dev.procpool.RemoteException;
import dev.procpool.protocol.RemoteError;
import dev.procpool.protocol.RemoteFrame;

/**
 * The one way a task's exception becomes what users catch, on every runner: flattened to its class name, message,
 * stack frames and causes (a worker does this before sending it; a runner of this JVM does it on the spot), then
 * rebuilt as a {@link RemoteException} with each cause rebuilt too. Stateless.
 */
public final class RemoteErrors {

    private RemoteErrors() {
    }

    /** The stand-in for what a task threw in this JVM, exactly as if a worker had sent it. */
    public static RemoteException copyOf(Throwable thrown) {
        return rebuild(RemoteError.of(thrown));
    }

    /** The local stand-in for a flattened error and its causes. */
    public static RemoteException rebuild(RemoteError error) {
        RemoteFrame[] frames = error.frames();
        StackTraceElement[] trace = new StackTraceElement[frames.length];
        for (int i = 0; i < frames.length; i++) {
            trace[i] = frames[i].toStackTraceElement();
        }
        return RemoteException.of(error.className(), error.message(), trace,
                error.cause() == null ? null : rebuild(error.cause()));
    }
}
