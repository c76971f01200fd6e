package dev.procpool.cli;

import dev.procpool.ProcessPoolConfig;
import java.util.List;
import java.util.TreeSet;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses {@code --workers}: one count ({@code 8}), a list ({@code 1,2,4,8}) or a range ({@code 1..8}), into
 * the distinct counts in increasing order. Stateless.
 */
final class WorkerCounts {

    /** More counts than this in one sweep is a typo, not a plan. */
    static final int MAX_COUNTS = 32;

    static List<Integer> parse(String text) {
        TreeSet<Integer> counts = new TreeSet<>();
        String trimmed = text.strip();
        if (trimmed.matches("[0-9]+\\.\\.[0-9]+")) {
            int dots = trimmed.indexOf("..");
            int from = count(trimmed.substring(0, dots), text);
            int to = count(trimmed.substring(dots + 2), text);
            if (to < from) {
                throw new TypeConversionException("'" + text + "' is an empty range: it ends before it starts");
            }
            // At most MAX_WORKERS counts: each end was checked.
            for (int n = from; n <= to; n++) {
                counts.add(n);
            }
        } else {
            for (String part : trimmed.split(",", -1)) {
                counts.add(count(part, text));
            }
        }
        if (counts.size() > MAX_COUNTS) {
            throw new TypeConversionException("'" + text + "' has more than " + MAX_COUNTS + " worker counts");
        }
        return List.copyOf(counts);
    }

    private static int count(String part, String text) {
        String value = part.strip();
        if (!value.matches("[0-9]{1,9}")) {
            throw new TypeConversionException("'" + text + "' is not a worker count, a list like 1,2,4,8 or a range "
                    + "like 1..8");
        }
        int count = Integer.parseInt(value);
        if (count < 1 || count > ProcessPoolConfig.MAX_WORKERS) {
            throw new TypeConversionException("worker counts must be between 1 and " + ProcessPoolConfig.MAX_WORKERS
                    + ", got " + count);
        }
        return count;
    }
}
