package dev.procpool.spi;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs launcher chores (draining a child's output, a remote kill) on named daemon threads of their own: never on the
 * shared fork-join pool, which has one thread on a two-core machine, so that one chore that blocks (reading a stream
 * until its process ends) would hold up all the others. Stateless.
 */
final class Daemons {

    private Daemons() {
    }

    /** Runs {@code work} on a new daemon thread named {@code name}. */
    static CompletableFuture<Void> run(String name, Runnable work) {
        return supply(name, () -> {
            work.run();
            return null;
        });
    }

    /** Computes {@code work} on a new daemon thread named {@code name}. */
    static <T> CompletableFuture<T> supply(String name, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return result;
    }
}
