package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.CoordinatorJvm;
import dev.procpool.testing.FaultJob;
import dev.procpool.testing.FaultJob.Fault;
import dev.procpool.testing.FaultJob.Kind;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A task that calls {@code System.exit} on a runner inside the coordinator's JVM ends that JVM (nothing can stop it),
 * and the coordinator says on stderr, before it ends, which task of which job did it. Each case runs a coordinator
 * in a JVM of its own.
 */
@Timeout(120)
class ExitInTaskTest {

    /**
     * A coordinator that runs one task calling {@code System.exit(7)} on the runner named by its first argument: the
     * {@link Kind} its second argument names, {@code EXIT} (on the task's thread) or {@code EXIT_ON_OWN_THREAD}.
     */
    public static final class Coordinator {
        public static void main(String[] args) throws Exception {
            Mode mode = Mode.valueOf(args[0]);
            Kind kind = Kind.valueOf(args[1]);
            try (Runner runner = switch (mode) {
                case SEQUENTIAL -> new SequentialRunner();
                case THREADS -> new ThreadRunner(2);
                case VIRTUAL -> new VirtualThreadRunner(2);
                case PROCESSES -> throw new IllegalArgumentException("in-JVM runners only");
            }) {
                runner.submit(new FaultJob(), Fault.of(kind, 7, 42)).get(60, TimeUnit.SECONDS);
            }
            System.out.println("survived");
        }
    }

    /**
     * A coordinator whose first in-JVM task runs from a shutdown hook, on the runner named by its argument, when the
     * JVM is already shutting down: the task must complete all the same.
     */
    public static final class TaskInAShutdownHook {
        public static void main(String[] args) {
            Mode mode = Mode.valueOf(args[0]);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (Runner runner = switch (mode) {
                    case SEQUENTIAL -> new SequentialRunner();
                    case THREADS -> new ThreadRunner(1);
                    case VIRTUAL -> new VirtualThreadRunner(1);
                    case PROCESSES -> throw new IllegalArgumentException("in-JVM runners only");
                }) {
                    System.out.println("answer " + runner.submit(new dev.procpool.jobs.SqrtJob(),
                            new dev.procpool.job.Range(0, 4)).get(20, TimeUnit.SECONDS));
                } catch (Exception e) {
                    System.out.println("failed " + e);
                }
            }));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"SEQUENTIAL", "THREADS", "VIRTUAL"})
    void aFirstTaskRunFromAShutdownHook_completes(Mode mode) throws Exception {
        CoordinatorJvm coordinator = CoordinatorJvm.start(List.of(), TaskInAShutdownHook.class, List.of(mode.name()));
        try {
            assertTrue(coordinator.process().waitFor(60, TimeUnit.SECONDS), "the coordinator did not end: "
                    + coordinator);
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> coordinator.out().stream().anyMatch(line -> line.startsWith("answer ")
                            || line.startsWith("failed ")));
            assertTrue(coordinator.out().stream().anyMatch(line -> line.startsWith("answer ")),
                    coordinator.out() + Files.readString(coordinator.err()));
        } finally {
            coordinator.destroy();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"SEQUENTIAL", "THREADS", "VIRTUAL"})
    void systemExitInATask_endsTheJvm_sayingWhichTaskOfWhichJob(Mode mode) throws Exception {
        String stderr = exitedWithSeven(mode, Kind.EXIT);
        assertTrue(stderr.contains("procpool: task EXIT(7)#42 of job 'fault' called System.exit on thread "), stderr);
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"SEQUENTIAL", "THREADS", "VIRTUAL"})
    void systemExitOnAThreadATaskStarted_endsTheJvm_namingTheComputingTaskAsSuspect(Mode mode) throws Exception {
        String stderr = exitedWithSeven(mode, Kind.EXIT_ON_OWN_THREAD);
        assertTrue(stderr.contains("procpool: System.exit was called on thread fault-exit, which computes no task, "
                + "while task EXIT_ON_OWN_THREAD(7)#42 of job 'fault' on thread "), stderr);
        assertTrue(stderr.contains(" was computing: if that task started that thread"), stderr);
    }

    /** Runs {@link Coordinator} in a JVM of its own with {@code mode} and {@code kind}; checks it exits 7; its stderr. */
    private static String exitedWithSeven(Mode mode, Kind kind) throws Exception {
        CoordinatorJvm coordinator = CoordinatorJvm.start(List.of(), Coordinator.class,
                List.of(mode.name(), kind.name()));
        try {
            assertTrue(coordinator.process().waitFor(60, TimeUnit.SECONDS), "the coordinator did not end: "
                    + coordinator);
            assertEquals(7, coordinator.process().exitValue(), coordinator.toString());
            return Files.readString(coordinator.err());
        } finally {
            coordinator.destroy();
        }
    }
}
