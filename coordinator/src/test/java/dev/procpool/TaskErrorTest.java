package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TaskErrorTest {

    @Test
    void procpoolsOwnMessage_keepsItsAdviceWhole_onOneLine() {
        String advice = "ran past its time limit of 1 s on worker 1 (pid 2012), which was killed;\n"
                + "if the task needs longer, raise the limit (--task-timeout, ProcessPoolBuilder.taskTimeout, or the "
                + "limit given to submit)";
        TaskError error = new TaskError(0, 4, "[0, 2)", new ProcPoolException(advice));

        assertEquals("task 1 of 4 ([0, 2)) failed: " + advice.replace(";\n", "; "), error.describe());
    }

    @Test
    void otherCodesMessage_isShortened() {
        TaskError error = new TaskError(0, 1, "t", new IllegalStateException("x".repeat(5_000)));

        assertTrue(error.describe().length() < 500, error.describe());
    }
}
