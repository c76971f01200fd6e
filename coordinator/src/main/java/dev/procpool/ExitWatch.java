package dev.procpool;

import dev.procpool.protocol.OneLine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Says which task called {@code System.exit} when a task computing on a runner inside this JVM (sequential, threads,
 * virtual threads) ends the whole JVM: there is no way to stop it (Java 25 has no security manager), but the user
 * learns which task of which job did it, through the runner's notices, before the JVM ends. The in-JVM runners note
 * each task as it starts and ends computing; a shutdown hook ({@code procpool-exit-watch}, installed on first use)
 * looks for the computing thread that is inside {@link Runtime#exit}. When the thread inside it computes no task (a
 * task's own thread, executor or parallel stream called it), the tasks computing at that moment are named as suspects
 * instead: knowing which threads a task started would cost every task more than the note it takes now. A virtual
 * thread that computes no task is not seen (only platform threads can be listed), and neither is the JVM's main
 * thread, which no task started. One per JVM. Thread-safe.
 */
final class ExitWatch {

    private static final ExitWatch JVM = new ExitWatch();
    /** How many suspects a notice names; the rest are counted. */
    private static final int MAX_SUSPECTS = 5;
    private static final String WHOLE_JVM = "this whole JVM: tasks on the sequential, threads and virtual runners run "
            + "inside it (in a process pool, it would end only its worker)";

    /** A task computing on a thread, and where to say that it ended the JVM. */
    private record Computing(String job, Object task, Consumer<String> notices) {

        String name() {
            return "task " + OneLine.of(task) + " of job '" + job + "'";
        }
    }

    private final Map<Thread, Computing> computing = new ConcurrentHashMap<>();
    private final AtomicBoolean hooked = new AtomicBoolean();

    private ExitWatch() {
    }

    /** The watch of this JVM. */
    static ExitWatch jvm() {
        return JVM;
    }

    /**
     * The current thread starts computing {@code task} of the job named {@code job}; if it calls {@code System.exit},
     * {@code notices} is told. Call {@link #finished()} on the same thread when it ends, however it ends.
     */
    void started(String job, Object task, Consumer<String> notices) {
        if (!hooked.get() && hooked.compareAndSet(false, true)) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(this::jvmExiting, "procpool-exit-watch"));
            } catch (IllegalStateException e) {
                // The JVM is already shutting down (a task run from a shutdown hook): nothing is left to watch for.
            }
        }
        computing.put(Thread.currentThread(), new Computing(job, task, notices));
    }

    /** The current thread's task has ended. */
    void finished() {
        computing.remove(Thread.currentThread());
    }

    /**
     * The JVM is exiting: says so for each computing task whose thread is exiting it or, if none is, for the tasks
     * computing while a thread that computes none exits it.
     */
    private void jvmExiting() {
        Map<Thread, Computing> now = Map.copyOf(computing);
        boolean told = false;
        for (Map.Entry<Thread, Computing> entry : now.entrySet()) {
            if (callsExit(entry.getKey().getStackTrace())) {
                Computing task = entry.getValue();
                task.notices().accept(task.name() + " called System.exit on thread " + entry.getKey().getName() + ", "
                        + "which ends " + WHOLE_JVM);
                told = true;
            }
        }
        if (!told && !now.isEmpty()) {
            Thread exiting = startedThreadInExit();
            if (exiting != null) {
                nameSuspects(exiting, now);
            }
        }
    }

    /** Tells each runner's notices which of its tasks were computing while {@code exiting} called System.exit. */
    private static void nameSuspects(Thread exiting, Map<Thread, Computing> now) {
        Map<Consumer<String>, List<String>> suspects = new LinkedHashMap<>();
        now.forEach((thread, task) -> suspects.computeIfAbsent(task.notices(), notices -> new ArrayList<>())
                .add(task.name() + " on thread " + thread.getName()));
        suspects.forEach((notices, tasks) -> {
            boolean one = tasks.size() == 1;
            notices.accept("System.exit was called on thread " + exiting.getName() + ", which computes no task, while "
                    + listed(tasks) + (one ? " was" : " were") + " computing: if " + (one ? "that task" : "one of them")
                    + " started that thread (a thread of its own, an executor's or a parallel stream's), it is what "
                    + "ended " + WHOLE_JVM);
        });
    }

    /** The tasks, the first {@link #MAX_SUSPECTS} by name and the rest counted. */
    private static String listed(List<String> tasks) {
        String named = String.join(", ", tasks.subList(0, Math.min(tasks.size(), MAX_SUSPECTS)));
        return tasks.size() <= MAX_SUSPECTS ? named : named + " and " + (tasks.size() - MAX_SUSPECTS) + " more tasks";
    }

    /**
     * The platform thread inside {@link Runtime#exit}; null if there is none (a JVM ending on a signal, or after its
     * last thread ended) or if it is the thread the launcher called {@code main} on (its first frame is a {@code main}
     * method, where a thread that was started begins in a {@code run} method): no task started that one.
     */
    private static Thread startedThreadInExit() {
        for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            StackTraceElement[] frames = entry.getValue();
            if (callsExit(frames) && !"main".equals(frames[frames.length - 1].getMethodName())) {
                return entry.getKey();
            }
        }
        return null;
    }

    /** Whether a thread with these frames is inside {@link Runtime#exit}: its caller waits there for the hooks. */
    private static boolean callsExit(StackTraceElement[] frames) {
        for (StackTraceElement frame : frames) {
            if ("java.lang.Runtime".equals(frame.getClassName()) && "exit".equals(frame.getMethodName())) {
                return true;
            }
        }
        return false;
    }
}
