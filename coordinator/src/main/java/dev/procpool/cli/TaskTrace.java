package dev.procpool.cli;

import dev.procpool.protocol.OneLine;
import java.io.PrintWriter;
import java.util.List;

/**
 * The stack trace of a failed task as its author wants to read it: the task's own frames, cut where procpool's or
 * Kryo's machinery begins (the runner, the worker, the wire), at most {@link #MAX_FRAMES} frames per exception and
 * a few causes, each headed by one line. A stack overflow of a thousand frames prints as a few dozen lines.
 * Stateless.
 */
final class TaskTrace {

    static final int MAX_FRAMES = 24;
    private static final int MAX_CAUSES = 4;
    /** Where the task's own code ends: below these frames is procpool or Kryo running it. */
    private static final List<String> MACHINERY = List.of("dev.procpool.worker.", "dev.procpool.internal.",
            "dev.procpool.protocol.", "dev.procpool.shaded.", "com.esotericsoftware.", "dev.procpool.ThreadRunner",
            "dev.procpool.SequentialRunner", "dev.procpool.VirtualThreadRunner", "dev.procpool.JobDriver",
            "dev.procpool.AbstractRunner", "dev.procpool.ProcessPool");

    private TaskTrace() {
    }

    /** Prints {@code error}'s trace and its causes' to {@code out}. */
    static void print(Throwable error, PrintWriter out) {
        Throwable current = error;
        for (int depth = 0; current != null && depth <= MAX_CAUSES; depth++) {
            out.println((depth == 0 ? "" : "Caused by: ") + OneLine.of(current));
            StackTraceElement[] frames = current.getStackTrace();
            int own = ownFrames(frames);
            int shown = Math.min(own, MAX_FRAMES);
            for (int i = 0; i < shown; i++) {
                out.println("\tat " + frames[i]);
            }
            if (own > shown) {
                out.println("\t... " + (own - shown) + " more frames of the task");
            }
            current = current.getCause() == current ? null : current.getCause();
        }
        if (current != null) {
            out.println("(more causes left out)");
        }
    }

    /** How many frames, from the top, are the task's own: those above the first frame of procpool's machinery. */
    static int ownFrames(StackTraceElement[] frames) {
        for (int i = 0; i < frames.length; i++) {
            String type = frames[i].getClassName();
            for (String prefix : MACHINERY) {
                if (type.startsWith(prefix)) {
                    return i;
                }
            }
        }
        return frames.length;
    }
}
