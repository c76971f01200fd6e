package dev.procpool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.job.TaskFunction;
import dev.procpool.protocol.FunctionJob;
import dev.procpool.protocol.Protocol;
import dev.procpool.protocol.WireFormat;
import org.junit.jupiter.api.Test;

/** A pool's job tickets stay bounded in count and in bytes, dropping the least recently used. */
class JobTicketsTest {

    /** A function whose value is as large as its ballast. */
    record Heavy(byte[] ballast, int tag) implements TaskFunction<Integer, Integer> {
        @Override
        public Integer apply(Integer input) {
            return tag;
        }
    }

    @Test
    void ticketsOfLargeValues_keptUpToTheByteBound_leastRecentlyUsedDropped() {
        JobTickets tickets = new JobTickets(WireFormat.forCoordinator(), Protocol.DEFAULT_MAX_FRAME_BYTES);
        byte[] ballast = new byte[1 << 20];
        JobTicket first = tickets.of(new FunctionJob<>(new Heavy(ballast, 0)));

        for (int tag = 1; tag < 100; tag++) {
            tickets.of(new FunctionJob<>(new Heavy(ballast, tag)));
            assertSame(first, tickets.of(new FunctionJob<>(new Heavy(ballast, 0))), "used last: kept");
        }

        long[] kept = tickets.keptValueTickets();
        assertTrue(kept[1] <= JobTickets.MAX_VALUE_TICKET_BYTES, kept[1] + " bytes kept");
        assertTrue(kept[0] < 100, kept[0] + " tickets kept");
    }

    @Test
    void ticketsOfSmallValues_keptUpToTheCountBound() {
        JobTickets tickets = new JobTickets(WireFormat.forCoordinator(), Protocol.DEFAULT_MAX_FRAME_BYTES);

        for (int tag = 0; tag < JobTickets.MAX_VALUE_TICKETS + 100; tag++) {
            tickets.of(new FunctionJob<>(new Heavy(new byte[1], tag)));
        }

        assertEquals(JobTickets.MAX_VALUE_TICKETS, tickets.keptValueTickets()[0]);
    }

    /** Another function, of another class. */
    record Other(int tag) implements TaskFunction<Integer, Integer> {
        @Override
        public Integer apply(Integer input) {
            return tag;
        }
    }

    @Test
    void valuesOfOneClass_shareOneDuration_anotherClassHasItsOwn() {
        JobTickets tickets = new JobTickets(WireFormat.forCoordinator(), Protocol.DEFAULT_MAX_FRAME_BYTES);

        JobTicket one = tickets.of(new FunctionJob<>(new Heavy(new byte[1], 1)));
        JobTicket two = tickets.of(new FunctionJob<>(new Heavy(new byte[1], 2)));
        JobTicket other = tickets.of(new FunctionJob<>(new Other(1)));

        assertTrue(one != two, "two values, two tickets");
        assertSame(one.duration(), two.duration(), "tasks of every value of a class are timed together");
        assertTrue(one.duration() != other.duration(), "a class not timed yet starts unknown");
    }
}
