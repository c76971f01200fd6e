package client;

import dev.procpool.job.TaskFunction;

/** n * n * n. */
public record Cube() implements TaskFunction<Long, Long> {
    @Override
    public Long apply(Long n) {
        return n * n * n;
    }
}
