package dev.procpool.protocol;

/** One stack frame of a {@link RemoteError}; {@code line} is negative when unknown, as in the JDK. */
public record RemoteFrame(String className, String method, String file, int line) {

    static RemoteFrame of(StackTraceElement element) {
        return new RemoteFrame(element.getClassName(), element.getMethodName(), element.getFileName(),
                element.getLineNumber());
    }

    /** The frame as a JDK stack trace element, for a rebuilt exception. */
    public StackTraceElement toStackTraceElement() {
        return new StackTraceElement(className, method, file, line);
    }
}
