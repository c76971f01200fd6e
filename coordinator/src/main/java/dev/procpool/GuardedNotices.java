package dev.procpool;

import dev.procpool.protocol.OneLine;
import java.util.function.Consumer;

/**
 * A pool's notices consumer, guarded: the consumer is the user's code, called on the pool's own threads in the middle
 * of its work (settling a lost worker's tasks, starting a replacement), so whatever it throws stays here. A notice it
 * could not take goes to stderr instead, with what it threw: nothing is lost, and the pool carries on. Thread-safe if
 * the consumer is.
 */
final class GuardedNotices implements Consumer<String> {

    private final Consumer<String> notices;

    /** The notices of a runner not given any: one line each on stderr, after {@code procpool: }. */
    static final Consumer<String> STDERR = notice -> System.err.println("procpool: " + notice);

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
            System.err.println("procpool: " + notice + "\nprocpool: (said here: the notices consumer threw "
                    + OneLine.of(e) + ")");
        }
    }
}
