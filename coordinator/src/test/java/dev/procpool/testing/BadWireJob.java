package dev.procpool.testing;

import dev.procpool.job.LongSum;
import dev.procpool.job.Range;
import dev.procpool.job.RangeJob;
import java.util.ArrayList;
import java.util.List;

/**
 * A test-only job that lists a type the wire refuses ({@code ArrayList}) among its wire types. Deliberately not in
 * the test class path's services file (every test pool would refuse it): tests name it in one of their own. Stateless.
 */
public final class BadWireJob implements RangeJob<Long>, LongSum<Range> {

    @Override
    public String name() {
        return "bad-wire";
    }

    @Override
    public String description() {
        return "test-only: lists ArrayList as a wire type";
    }

    @Override
    public long defaultSize() {
        return 4;
    }

    @Override
    public Long compute(Range range) {
        return range.length();
    }

    @Override
    public List<Class<?>> wireTypes() {
        return List.of(ArrayList.class);
    }
}
