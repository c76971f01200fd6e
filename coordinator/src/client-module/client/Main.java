package client;

import dev.procpool.ProcessPool;
import java.util.List;

/** Cubes on two worker processes, from a named module. */
public final class Main {
    public static void main(String[] args) {
        try (ProcessPool pool = ProcessPool.builder().workers(2).start()) {
            System.out.println("cubes: " + pool.map(new Cube(), List.of(1L, 2L, 3L)));
        }
    }
}
