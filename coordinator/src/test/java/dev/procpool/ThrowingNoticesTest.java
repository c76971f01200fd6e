package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.CoordinatorJvm;
import dev.procpool.testing.EveryRunner;
import dev.procpool.testing.FaultJob;
import dev.procpool.testing.FaultJob.Fault;
import dev.procpool.testing.FaultJob.Kind;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A notices consumer that throws loses no notice on any runner: the notice goes to stderr, with what the consumer
 * threw. Each case runs a coordinator in a JVM of its own, since a runner inside the JVM has something to say only
 * when a task ends that JVM.
 */
@Timeout(120)
class ThrowingNoticesTest {

    /**
     * A coordinator whose runner, named by its argument, has a notices consumer that throws, and is given something to
     * say: a task that calls {@code System.exit(7)} on a runner inside this JVM, or that halts its worker.
     */
    public static final class Coordinator {
        public static void main(String[] args) throws Exception {
            String name = args[0];
            try (Runner runner = EveryRunner.withNotices(name, 1, notice -> {
                throw new IllegalStateException("log appender closed");
            })) {
                Kind kind = name.equals("processes") ? Kind.HALT : Kind.EXIT;
                runner.submit(new FaultJob(), Fault.of(kind, 7, 42)).get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                System.out.println("failed " + e.getCause().getClass().getSimpleName());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "threads", "virtual", "processes"})
    void aNoticesConsumerThatThrows_theNoticeGoesToStderr_withWhatItThrew(String name) throws Exception {
        CoordinatorJvm coordinator = CoordinatorJvm.start(List.of(), Coordinator.class, List.of(name));
        try {
            assertTrue(coordinator.process().waitFor(60, TimeUnit.SECONDS), "the coordinator did not end: "
                    + coordinator);
            String stderr = Files.readString(coordinator.err());
            assertTrue(Pattern.compile("procpool: .*task (EXIT|HALT)\\(7\\)#42.*\nprocpool: \\(said here: the notices "
                    + "consumer threw java.lang.IllegalStateException: log appender closed\\)").matcher(stderr).find(),
                    stderr);
            if (name.equals("processes")) {
                assertEquals(0, coordinator.process().exitValue(), coordinator.toString());
                assertEquals("WorkerCrashedException", coordinator.value("failed"), coordinator.toString());
            } else {
                assertEquals(7, coordinator.process().exitValue(), coordinator.toString());
            }
        } finally {
            coordinator.destroy();
        }
    }
}
