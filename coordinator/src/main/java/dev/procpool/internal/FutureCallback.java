package dev.procpool.internal;

import dev.procpool.measure.TaskUsage;
import java.util.concurrent.CompletableFuture;

/** Settles a {@link CompletableFuture}: the callback behind every {@code submit}. Thread-safe. */
public record FutureCallback(CompletableFuture<Object> future) implements TaskCallback {

    @Override
    public void succeeded(Object value, TaskUsage usage) {
        future.complete(value);
    }

    @Override
    public void failed(Throwable error) {
        future.completeExceptionally(error);
    }

    @Override
    public boolean abandoned() {
        return future.isDone();
    }
}
