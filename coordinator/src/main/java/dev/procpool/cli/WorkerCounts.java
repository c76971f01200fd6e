package dev.procpool.cli;

import dev.procpool.Mode;
import dev.procpool.ProcessPoolConfig;
import java.util.List;
import java.util.TreeSet;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses {@code --workers}: one count ({@code 8}), a list ({@code 1,2,4,8}) or a range ({@code 1..8}), into
 * the distinct counts in increasing order, and knows how many workers each mode takes. Stateless.
 */
final class WorkerCounts {

    /** More counts than this in one sweep is a typo, not a plan. */
    static final int MAX_COUNTS = 32;
    /** Platform threads at once: each is an OS thread with its own stack (10,000 took about 340 MiB here). */
    static final int MAX_THREADS = 10_000;
    /** Virtual threads at once: a parked one costs about a kilobyte of heap. */
    static final int MAX_VIRTUAL = 100_000;

    /** The most workers {@code mode} may run at once. */
    static int limit(Mode mode) {
        return switch (mode) {
            case SEQUENTIAL -> 1;
            case THREADS -> MAX_THREADS;
            case VIRTUAL -> MAX_VIRTUAL;
            case PROCESSES -> ProcessPoolConfig.MAX_WORKERS;
        };
    }

    /**
     * Null if every parallel mode of {@code modes} takes {@code most} workers, else a one-line reason naming the
     * modes that do.
     */
    static String checkLimits(List<Mode> modes, int most) {
        for (Mode mode : modes) {
            if (mode != Mode.SEQUENTIAL && most > limit(mode)) {
                String what = switch (mode) {
                    case THREADS -> "platform threads";
                    case PROCESSES -> "worker processes";
                    default -> "virtual threads";
                };
                return "--workers=" + most + " is more " + what + " than --mode=" + mode.label() + " runs at once (at "
                        + "most " + limit(mode) + (modes.size() > 1 ? "; --mode=compare runs every mode" : "")
                        + "); --mode=threads takes up to " + MAX_THREADS + ", --mode=virtual up to " + MAX_VIRTUAL;
            }
        }
        return null;
    }

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
            // No more than one past MAX_COUNTS, which the check below refuses.
            for (int n = from; n <= to && counts.size() <= MAX_COUNTS; n++) {
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
        if (count < 1 || count > MAX_VIRTUAL) {
            throw new TypeConversionException("worker counts must be between 1 and " + MAX_VIRTUAL + ", got " + count);
        }
        return count;
    }
}
