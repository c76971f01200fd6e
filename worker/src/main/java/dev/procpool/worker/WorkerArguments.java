package dev.procpool.worker;

import dev.procpool.protocol.Protocol;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker's arguments, {@code [--max-frame-bytes=N] [--jobs=CLASS,CLASS,...]}, as its coordinator passes them.
 * Immutable.
 *
 * @param maxFrameBytes the largest frame the worker may accept or send
 * @param jobClasses the classes of the jobs to make, as the coordinator names them; null to find the jobs on the
 *     class path instead
 */
record WorkerArguments(int maxFrameBytes, List<String> jobClasses) {

    static final String MAX_FRAME_BYTES = "--max-frame-bytes=";
    static final String JOBS = "--jobs=";

    WorkerArguments {
        jobClasses = jobClasses == null ? null : List.copyOf(jobClasses);
    }

    /**
     * Parses a worker's arguments.
     *
     * @throws IllegalArgumentException saying which argument is wrong
     */
    static WorkerArguments parse(String[] args) {
        int maxFrameBytes = Protocol.DEFAULT_MAX_FRAME_BYTES;
        List<String> jobClasses = null;
        for (String arg : args) {
            if (arg.startsWith(MAX_FRAME_BYTES)) {
                String value = arg.substring(MAX_FRAME_BYTES.length());
                try {
                    maxFrameBytes = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--max-frame-bytes needs a whole number, got '" + value + "'");
                }
                Protocol.checkMaxFrameBytes(maxFrameBytes);
            } else if (arg.startsWith(JOBS)) {
                jobClasses = classNames(arg.substring(JOBS.length()));
            } else {
                throw new IllegalArgumentException("unknown argument '" + arg + "'; the worker is started by the "
                        + "procpool coordinator, not by hand");
            }
        }
        return new WorkerArguments(maxFrameBytes, jobClasses);
    }

    /** Comma-separated class names; none in an empty value. Split by hand: this runs before every handshake. */
    private static List<String> classNames(String value) {
        List<String> names = new ArrayList<>();
        if (value.isEmpty()) {
            return names;
        }
        int start = 0;
        while (true) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            if (end == start) {
                throw new IllegalArgumentException("--jobs has an empty class name in '" + value + "'");
            }
            names.add(value.substring(start, end));
            if (comma < 0) {
                return names;
            }
            start = comma + 1;
        }
    }
}
