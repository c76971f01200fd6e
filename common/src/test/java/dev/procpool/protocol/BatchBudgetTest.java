package dev.procpool.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How many items a batch may hold to keep its frame within a link's message. */
class BatchBudgetTest {

    @Test
    void unlimited_givesTheCap() {
        BatchBudget budget = BatchBudget.unlimited();
        budget.sent(10, 100_000);

        assertFalse(budget.limited());
        assertEquals(4096, budget.items(4096));
    }

    @Test
    void limited_learnsTheItemSize_andKeepsTheFrameWithinTheBudget() {
        BatchBudget budget = new BatchBudget(1024);
        budget.sent(100, 300); // 3 bytes an item

        int items = budget.items(4096);

        assertTrue(budget.limited());
        assertTrue(items * 3 + Protocol.FRAME_HEADER_BYTES <= 1024, items + " items of 3 bytes");
        assertTrue(items * 3 >= 0.8 * 1024, items + " items fill most of the frame");
    }

    @Test
    void limited_followsItemsThatGrow() {
        BatchBudget budget = new BatchBudget(1024);
        budget.sent(300, 900);
        budget.sent(2, 1000); // now 500 bytes an item

        assertEquals(1, budget.items(4096));
    }

    @Test
    void limited_neverBelowOne_norAboveTheCap() {
        BatchBudget budget = new BatchBudget(1024);
        budget.sent(1, 1 << 20);
        assertEquals(1, budget.items(4096));

        budget.sent(1000, 1);
        assertEquals(7, budget.items(7));
    }

    @Test
    void writeWithin_aFrameOverTheLimit_writesNothing_andOneWithinIt_isWhole() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(out, WireFormat.forCoordinator(), Protocol.DEFAULT_MAX_FRAME_BYTES);
        ResultBatch batch = new ResultBatch(new long[] {1, 2, 3}, new Object[] {"a", "b", "c"}, 7);

        int needed = Protocol.FRAME_HEADER_BYTES + writer.writeWithin(batch, Integer.MAX_VALUE);
        writer.flush();
        int before = out.size();

        assertEquals(-1, writer.writeWithin(batch, needed - 1));
        writer.flush();
        assertEquals(before, out.size(), "nothing written");
        assertEquals(needed - Protocol.FRAME_HEADER_BYTES, writer.writeWithin(batch, needed));
        writer.flush();
        assertEquals(2 * before, out.size());
    }

    @Test
    void refusesABudgetNoFrameFits() {
        assertThrows(IllegalArgumentException.class, () -> new BatchBudget(Protocol.FRAME_HEADER_BYTES));
        assertThrows(IllegalArgumentException.class, () -> new BatchBudget(-1));
    }
}
