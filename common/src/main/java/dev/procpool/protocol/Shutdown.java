package dev.procpool.protocol;

/** Coordinator to worker: exit now with status 0; nothing more will be asked. */
public record Shutdown() implements Message {

    /** The one instance; the message carries no data. */
    public static final Shutdown INSTANCE = new Shutdown();
}
