package dev.procpool;

import dev.procpool.protocol.OneLine;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Says which task called {@code System.exit} when a task computing on a runner inside this JVM (sequential, threads,
 * virtual threads) ends the whole JVM: there is no way to stop it (Java 25 has no security manager), but the user
 * learns which task of which job did it, through the runner's notices, before the JVM ends. The in-JVM runners note
 * each task as it starts and ends computing; a shutdown hook ({@code procpool-exit-watch}, installed on first use)
 * looks for the computing thread that is inside {@link Runtime#exit}. One per JVM. Thread-safe.
 */
final class ExitWatch {

    private static final ExitWatch JVM = new ExitWatch();

    /** A task computing on a thread, and where to say that it ended the JVM. */
    private record Computing(String job, Object task, Consumer<String> notices) {
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

    /** The JVM is exiting: says so for each computing task whose thread is exiting it. */
    private void jvmExiting() {
        computing.forEach((thread, task) -> {
            if (callsExit(thread)) {
                task.notices().accept("task " + OneLine.of(task.task()) + " of job '" + task.job() + "' called "
                        + "System.exit on thread " + thread.getName() + ", which ends this whole JVM: tasks on the "
                        + "sequential, threads and virtual runners run inside it (in a process pool, it would end only "
                        + "its worker)");
            }
        });
    }

    /** Whether {@code thread} is inside {@link Runtime#exit}: the thread that called it waits there for the hooks. */
    private static boolean callsExit(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if ("java.lang.Runtime".equals(frame.getClassName()) && "exit".equals(frame.getMethodName())) {
                return true;
            }
        }
        return false;
    }
}
