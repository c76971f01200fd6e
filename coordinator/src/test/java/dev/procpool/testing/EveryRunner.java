package dev.procpool.testing;

import dev.procpool.ProcessPool;
import dev.procpool.Runner;
import dev.procpool.SequentialRunner;
import dev.procpool.ThreadRunner;
import dev.procpool.VirtualThreadRunner;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The four runners by name, for tests that must behave alike on each: a process pool shared by a test class (started
 * and closed by it, or by JUnit around the class when registered as a static {@code @RegisterExtension} field), and a
 * new in-JVM runner per call, which the caller closes with {@link #closeUnlessShared}. Used by one test class's thread
 * at a time.
 */
public final class EveryRunner implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    private final int workers;
    private ProcessPool processes;

    /** Runners of {@code workers} threads or worker processes each. */
    public EveryRunner(int workers) {
        this.workers = workers;
    }

    /** Starts the shared process pool. */
    public void start() {
        processes = TestPools.builder(workers).start();
    }

    /** The shared process pool. */
    public ProcessPool processes() {
        return processes;
    }

    /** The runner of this name: the shared pool, or a new one the caller closes. */
    public Runner runner(String name) {
        return switch (name) {
            case "sequential" -> new SequentialRunner();
            case "threads" -> new ThreadRunner(workers);
            case "virtual" -> new VirtualThreadRunner(workers);
            case "processes" -> processes;
            default -> throw new IllegalArgumentException(name);
        };
    }

    /**
     * A new runner of this name, a process pool too, of {@code workers} threads or workers, whose notices go to
     * {@code notices}; the caller closes it.
     */
    public static Runner withNotices(String name, int workers, Consumer<String> notices) {
        return switch (name) {
            case "sequential" -> new SequentialRunner(notices);
            case "threads" -> new ThreadRunner(workers, notices);
            case "virtual" -> new VirtualThreadRunner(workers, notices);
            case "processes" -> TestPools.builder(workers).notices(notices).start();
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Closes {@code runner} unless it is the shared pool. */
    public void closeUnlessShared(Runner runner) {
        if (runner != processes) {
            runner.close();
        }
    }

    /** Closes the shared pool. */
    @Override
    public void close() {
        if (processes != null) {
            processes.close();
        }
    }
}
