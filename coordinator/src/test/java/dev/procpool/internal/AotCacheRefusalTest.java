package dev.procpool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.TestPools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How workers' stderr lines pass through {@link AotCacheRefusal}: lines as JDK 25 prints them. */
class AotCacheRefusalTest {

    private static final String AN_ERROR =
            "An error has occurred while processing the AOT cache. Run with -Xlog:aot for details.";

    private static final List<String> TRUNCATED = List.of(
            "[0.005s][warning][aot] The AOT cache has been truncated.",
            "[0.005s][error  ][aot] " + AN_ERROR,
            "[0.005s][error  ][aot] Loading static archive failed.",
            "[0.005s][error  ][aot] Unable to map shared spaces");
    private static final List<String> OTHER_FLAGS = List.of(
            "[0.004s][warning][aot] Unable to use AOT cache.",
            "[                    ] The saved state of UseCompressedOops and UseCompressedClassPointers is different "
                    + "from runtime, CDS will be disabled.",
            "[0.004s][error  ][aot] " + AN_ERROR,
            "[0.004s][error  ][aot] Loading static archive failed.",
            "[0.004s][error  ][aot] Unable to map shared spaces");
    private static final List<String> MISSING = List.of(
            "[0.005s][error][aot] " + AN_ERROR,
            "[0.005s][error][aot] Loading static archive failed.");

    @TempDir
    Path directory;

    private final List<String> notices = new ArrayList<>();
    private final TestPools.CollectedOutput output = new TestPools.CollectedOutput();

    private AotCacheRefusal refusal(Path cache) {
        return new AotCacheRefusal(cache, output, notices::add);
    }

    private static void say(AotCacheRefusal refusal, int workerId, List<String> lines) {
        lines.forEach(line -> refusal.line(workerId, line));
    }

    @Test
    void refusalByEveryWorker_isOneNoticeQuotingTheReason_andTheCacheGoes() throws Exception {
        Path cache = Files.writeString(directory.resolve("worker-1.aot"), "damaged");
        AotCacheRefusal refusal = refusal(cache);

        say(refusal, 1, TRUNCATED);
        say(refusal, 2, TRUNCATED);
        refusal.line(1, "a task's own line");

        assertEquals(List.of("the JVM refused the workers' AOT cache " + cache + " (The AOT cache has been truncated.);"
                + " workers start without it, more slowly; it is deleted, and the next pool makes a new one"), notices);
        assertEquals(List.of("[worker 1] a task's own line"), output.lines());
        assertFalse(Files.exists(cache));
    }

    @Test
    void refusalWithAReasonOnContinuationLines_quotesThem() {
        AotCacheRefusal refusal = refusal(directory.resolve("worker-1.aot"));

        say(refusal, 3, OTHER_FLAGS);

        assertEquals(1, notices.size());
        assertTrue(notices.get(0).contains("(Unable to use AOT cache. The saved state of UseCompressedOops and "
                + "UseCompressedClassPointers is different from runtime, CDS will be disabled.)"), notices.get(0));
        assertEquals(List.of(), output.lines());
    }

    @Test
    void refusalWithErrorsAlone_quotesTheFirstError() {
        AotCacheRefusal refusal = refusal(directory.resolve("worker-1.aot"));

        say(refusal, 1, MISSING);

        assertEquals(1, notices.size());
        assertTrue(notices.get(0).contains("(" + AN_ERROR + ")"), notices.get(0));
    }

    @Test
    void cacheWarningThatNoErrorFollows_isPassedOnWithTheNextLine() {
        AotCacheRefusal refusal = refusal(directory.resolve("worker-1.aot"));

        refusal.line(1, "[0.010s][warning][aot] something the JVM only warns about");
        refusal.line(1, "[          ] in detail");
        refusal.line(1, "procpool worker: a line of its own");

        assertEquals(List.of(), notices);
        assertEquals(List.of("[worker 1] [0.010s][warning][aot] something the JVM only warns about",
                "[worker 1] [          ] in detail", "[worker 1] procpool worker: a line of its own"), output.lines());
    }

    @Test
    void otherLines_passUnchanged_inOrder() {
        AotCacheRefusal refusal = refusal(directory.resolve("worker-1.aot"));

        refusal.line(1, "[0.100s][warning][gc] not about the cache");
        refusal.line(2, "[0.004s][info][aot] asked for with -Xlog:aot");
        refusal.line(1, "plain");

        assertEquals(List.of(), notices);
        assertEquals(List.of("[worker 1] [0.100s][warning][gc] not about the cache",
                "[worker 2] [0.004s][info][aot] asked for with -Xlog:aot", "[worker 1] plain"), output.lines());
    }
}
