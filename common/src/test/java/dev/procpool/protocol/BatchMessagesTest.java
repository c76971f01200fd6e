package dev.procpool.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.job.Range;
import org.junit.jupiter.api.Test;

/** The batch records themselves: what their constructors refuse, and equality by the arrays' contents. */
class BatchMessagesTest {

    @Test
    void taskBatchOf_isABatchOfOne() {
        TaskBatch batch = TaskBatch.of(9, 1L, new Range(1, 2));

        assertEquals(1, batch.size());
        assertEquals(1, batch.job());
        assertArrayEquals(new long[] {9}, batch.ids());
        assertArrayEquals(new Object[] {new Range(1, 2)}, batch.tasks());
    }

    @Test
    void resultBatchOf_isABatchOfOne() {
        ResultBatch batch = ResultBatch.of(9, null, 250);

        assertEquals(1, batch.size());
        assertArrayEquals(new long[] {9}, batch.ids());
        assertNull(batch.values()[0]);
        assertEquals(250, batch.busyNanos());
    }

    @Test
    void taskBatch_idsAndTasksOfDifferentLengths_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TaskBatch(1L, new long[] {1, 2}, new Object[] {null}));

        assertTrue(e.getMessage().contains("2 ids for 1 tasks"), e.getMessage());
    }

    @Test
    void resultBatch_idsAndValuesOfDifferentLengths_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ResultBatch(new long[] {1}, new Object[] {null, null}, 0));

        assertTrue(e.getMessage().contains("1 ids for 2 values"), e.getMessage());
    }

    @Test
    void resultBatch_negativeBusyTime_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ResultBatch(new long[0], new Object[0], -1));

        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void taskBatch_equalsAndHashCode_compareArraysByContent() {
        TaskBatch batch = new TaskBatch(1L, new long[] {1, 2}, new Object[] {new Range(0, 1), 5L});
        TaskBatch same = new TaskBatch(1L, new long[] {1, 2}, new Object[] {new Range(0, 1), 5L});

        assertEquals(batch, same);
        assertEquals(batch.hashCode(), same.hashCode());
        assertNotEquals(batch, new TaskBatch(2L, new long[] {1, 2}, new Object[] {new Range(0, 1), 5L}));
        assertNotEquals(batch, new TaskBatch(1L, new long[] {2, 1}, new Object[] {new Range(0, 1), 5L}));
        assertNotEquals(batch, new TaskBatch(1L, new long[] {1, 2}, new Object[] {new Range(0, 2), 5L}));
    }

    @Test
    void resultBatch_equalsAndHashCode_compareArraysByContentAndBusyTime() {
        ResultBatch batch = new ResultBatch(new long[] {1, 2}, new Object[] {1.5, "x"}, 10);
        ResultBatch same = new ResultBatch(new long[] {1, 2}, new Object[] {1.5, "x"}, 10);

        assertEquals(batch, same);
        assertEquals(batch.hashCode(), same.hashCode());
        assertNotEquals(batch, new ResultBatch(new long[] {1, 3}, new Object[] {1.5, "x"}, 10));
        assertNotEquals(batch, new ResultBatch(new long[] {1, 2}, new Object[] {1.5, "y"}, 10));
        assertNotEquals(batch, new ResultBatch(new long[] {1, 2}, new Object[] {1.5, "x"}, 11));
    }
}
