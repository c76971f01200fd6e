package dev.procpool.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Settles a {@link CompletableFuture} handed to a user: the callback behind every {@code submit}. The future is
 * completed through {@code completions}, so whatever the user chained to it ({@code thenApply}, {@code whenComplete},
 * ...) runs there and never on the thread that settled the task. Thread-safe.
 *
 * @param future the user's future
 * @param completions where the future is completed; {@code Runnable::run} completes it on the settling thread
 */
public record FutureCallback(CompletableFuture<Object> future, Executor completions) implements TaskCallback {

    @Override
    public void succeeded(Object value) {
        settle(() -> future.complete(value));
    }

    @Override
    public void failed(Throwable error) {
        settle(() -> future.completeExceptionally(error));
    }

    @Override
    public boolean abandoned() {
        return future.isDone();
    }

    private void settle(Runnable completion) {
        try {
            completions.execute(completion);
        } catch (RejectedExecutionException e) {
            // The executor has shut down (the pool is closed): settling here is still better than never.
            completion.run();
        }
    }
}
