package dev.procpool.worker;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Who does what among a worker's two threads: the reader's role (reading its input) and the computer's (taking its
 * inbox in order), each held by one thread at most. A role is taken by compare-and-set and given up by a volatile
 * write, which also hands over what it owns: the frame reader's state with the reader's role, the job books and the
 * measuring state with the computer's. Thread-safe.
 */
final class Roles {

    private final AtomicBoolean reading = new AtomicBoolean();
    private final AtomicBoolean computing = new AtomicBoolean();

    /** Takes the reader's role if nobody holds it. */
    boolean takeReading() {
        return reading.compareAndSet(false, true);
    }

    /** Gives up the reader's role. */
    void giveUpReading() {
        reading.set(false);
    }

    /** Takes the computer's role if nobody holds it: what a reader does once it has queued a message. */
    boolean takeComputing() {
        return computing.compareAndSet(false, true);
    }

    /**
     * Gives up the computer's role, whose holder found {@code inbox} empty; returns true if it must go on
     * computing after all: a message came in meanwhile (its reader saw the role taken and left it queued), and it
     * took the role back.
     */
    boolean giveUpComputing(Queue<?> inbox) {
        computing.set(false);
        return !inbox.isEmpty() && computing.compareAndSet(false, true);
    }

    /** Whether a thread holds the reader's role; for tests. */
    boolean reading() {
        return reading.get();
    }

    /** Whether a thread holds the computer's role; for tests. */
    boolean computing() {
        return computing.get();
    }
}
