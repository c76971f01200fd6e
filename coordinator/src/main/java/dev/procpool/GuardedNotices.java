package dev.procpool;

import dev.procpool.protocol.OneLine;
import java.util.function.Consumer;

/**
 * A runner's notices consumer, guarded: the consumer is the user's code, called on the runner's own threads in the
 * middle of its work (settling a lost worker's tasks, starting a replacement, the JVM exiting), so whatever it throws
 * stays here. A notice it could not take goes to stderr instead, with what it threw: nothing is lost, and the runner
 * carries on. Thread-safe if the consumer is.
 */
final class GuardedNotices implements Consumer<String> {

    /**
     * Where a runner's notices go by default, for every runner and {@link ProcessPoolBuilder}: this JVM's stderr, one
     * line each after {@code procpool: }, as a notice that a user's consumer could not take.
     */
    static final Consumer<String> STDERR = new GuardedNotices(GuardedNotices::toStderr);

    private final Consumer<String> notices;

    private GuardedNotices(Consumer<String> notices) {
        this.notices = notices;
    }

    /** {@code notices}, guarded; one already guarded is returned as it is. */
    static Consumer<String> of(Consumer<String> notices) {
        return notices instanceof GuardedNotices ? notices : new GuardedNotices(notices);
    }

    @Override
    public void accept(String notice) {
        try {
            notices.accept(notice);
        } catch (RuntimeException | StackOverflowError e) {
            toStderr(notice + "\nprocpool: (said here: the notices consumer threw " + OneLine.of(e) + ")");
        }
    }

    /** The one place a notice is written out: stderr, after {@code procpool: } (its print stream throws nothing). */
    private static void toStderr(String notice) {
        System.err.println("procpool: " + notice);
    }
}
