package dev.procpool.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/** The hand-over of a worker's roles, step by step as two threads could interleave them. */
class RolesTest {

    private final Roles roles = new Roles();
    private final Queue<String> inbox = new ArrayDeque<>();

    @Test
    void eachRole_isHeldByOneThreadAtATime() {
        assertTrue(roles.takeReading());
        assertFalse(roles.takeReading());
        roles.giveUpReading();
        assertTrue(roles.takeReading());

        assertTrue(roles.takeComputing());
        assertFalse(roles.takeComputing());
    }

    @Test
    void aMessageQueuedWhileTheComputerFoundTheInboxEmpty_isTakenBackByTheComputer_notLeftQueued() {
        assertTrue(roles.takeComputing()); // the computer polls: empty
        inbox.add("task"); // the reader queues a task...
        assertFalse(roles.takeComputing()); // ...and sees the role taken, so it leaves it to the computer

        assertTrue(roles.giveUpComputing(inbox), "the computer goes on: the task is in the inbox");
        assertTrue(roles.computing());
    }

    @Test
    void anEmptyInbox_letsTheComputersRoleGo_forTheNextReaderToTake() {
        assertTrue(roles.takeComputing());

        assertFalse(roles.giveUpComputing(inbox));
        assertFalse(roles.computing());
        assertTrue(roles.takeComputing());
    }
}
