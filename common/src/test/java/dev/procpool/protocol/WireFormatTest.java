package dev.procpool.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.procpool.job.Job;
import dev.procpool.job.JobRegistry;
import dev.procpool.job.Range;
import dev.procpool.job.StubJob;
import dev.procpool.job.WireTypes;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The registration table: what its fingerprint depends on, and that its Kryo refuses anything unlisted. */
class WireFormatTest {

    record Point(int x, int y) {
    }

    record Label(String text) {
    }

    enum Colour { RED, BLUE }

    /** A plain class: Kryo would give it a field serializer, which reads the String's length unchecked. */
    static final class Plain {
        String text;
    }

    @Test
    void fingerprint_sameRegistry_isStable() {
        JobRegistry registry = JobRegistry.loadDefault();

        assertEquals(WireFormat.of(registry).fingerprint(), WireFormat.of(registry).fingerprint());
        assertEquals(WireFormat.of(registry).fingerprint(), WireFormat.of(JobRegistry.loadDefault()).fingerprint());
    }

    @Test
    void fingerprint_jobWithAnExtraWireType_differs() {
        long withPoint = fingerprintOf(new StubJob("a", List.of(Point.class)));
        long withPointAndLabel = fingerprintOf(new StubJob("a", List.of(Point.class, Label.class)));

        assertNotEquals(withPoint, withPointAndLabel);
        assertNotEquals(fingerprintOf(new StubJob("a")), withPoint);
    }

    @Test
    void fingerprint_wireTypesInAnotherOrder_differs() {
        long pointFirst = fingerprintOf(new StubJob("a", List.of(Point.class, Label.class)));
        long labelFirst = fingerprintOf(new StubJob("a", List.of(Label.class, Point.class)));

        assertNotEquals(pointFirst, labelFirst);
    }

    @Test
    void fingerprint_typesSwappedBetweenJobs_differs() {
        long pointInA = fingerprintOf(new StubJob("a", List.of(Point.class)), new StubJob("b", List.of(Label.class)));
        long labelInA = fingerprintOf(new StubJob("a", List.of(Label.class)), new StubJob("b", List.of(Point.class)));

        assertNotEquals(pointInA, labelInA);
    }

    @Test
    void fingerprint_jobsGivenInAnotherOrder_isTheSame() {
        StubJob a = new StubJob("a", List.of(Point.class));
        StubJob b = new StubJob("b", List.of(Label.class));

        assertEquals(fingerprintOf(a, b), fingerprintOf(b, a));
    }

    @Test
    void fingerprint_standardOrRepeatedTypes_addNothing() {
        long plain = fingerprintOf(new StubJob("a", List.of(Point.class)));

        assertEquals(plain, fingerprintOf(new StubJob("a", List.of(Long.class, Point.class, Range.class))));
        assertEquals(plain, fingerprintOf(new StubJob("a", List.of(Point.class)), new StubJob("b", List.of(Point.class))));
    }

    /** The job type {@code fingerprinted.Task} as one build declares it; the cases below are another build's. */
    private static final String TASK = "record Task(int from, long to) {}";

    static Stream<Arguments> otherBuildsOfTheTask() {
        return Stream.of(
                arguments("components in another order", "record Task(long to, int from) {}"),
                arguments("a component of another type", "record Task(int from, int to) {}"),
                arguments("a component renamed", "record Task(int start, long to) {}"),
                arguments("a component more", "record Task(int from, long to, int step) {}"),
                arguments("an enum with its constants in another order", "enum Task { B, A }"));
    }

    @Test
    void fingerprint_sameJobTypeFromTwoBuilds_isTheSame(@TempDir Path dir) throws Exception {
        assertEquals(fingerprintOfTaskCompiledFrom(TASK, dir.resolve("one")),
                fingerprintOfTaskCompiledFrom(TASK, dir.resolve("two")));
        assertEquals(fingerprintOfTaskCompiledFrom("enum Task { A, B }", dir.resolve("three")),
                fingerprintOfTaskCompiledFrom("enum Task { A, B }", dir.resolve("four")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherBuildsOfTheTask")
    void fingerprint_jobTypeOfTheSameNameWithAnotherShape_differs(String change, String other, @TempDir Path dir)
            throws Exception {
        String original = other.startsWith("enum") ? "enum Task { A, B }" : TASK;

        assertNotEquals(fingerprintOfTaskCompiledFrom(original, dir.resolve("one")),
                fingerprintOfTaskCompiledFrom(other, dir.resolve("two")));
    }

    /** Compiles {@code fingerprinted.Task} from {@code declaration} into {@code dir}, as a build of a job would. */
    private static long fingerprintOfTaskCompiledFrom(String declaration, Path dir) throws Exception {
        Path source = dir.resolve("fingerprinted/Task.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package fingerprinted;\npublic " + declaration + "\n");
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(),
                source.toString()), "javac's exit status");
        try (URLClassLoader build = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                WireFormatTest.class.getClassLoader())) {
            return fingerprintOf(new StubJob("a", List.of(build.loadClass("fingerprinted.Task"))));
        }
    }

    @ParameterizedTest
    @ValueSource(classes = {float[].class, String[].class, Object[].class, long[][].class, ArrayList.class,
        LinkedList.class, HashMap.class, Plain.class, Object.class})
    void of_jobListingATypeWithUncheckedLengths_isRefusedSayingWhatToUse(Class<?> type) {
        JobRegistry registry = JobRegistry.of(List.of(new StubJob("fine", List.of(Point.class)),
                new StubJob("risky", List.of(Point.class, type))));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WireFormat.of(registry));

        assertTrue(e.getMessage().startsWith("job 'risky' lists " + type.getTypeName() + " in wireTypes()"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("Use a record (or an enum) instead, or byte[], int[], long[] or double[]"),
                e.getMessage());
    }

    @Test
    void of_recordsEnumsAndStandardTypes_areAccepted() {
        List<Class<?>> types = new ArrayList<>(List.of(Point.class, Label.class, Colour.class));
        types.addAll(WireTypes.STANDARD);

        Kryo kryo = WireFormat.of(JobRegistry.of(List.of(new StubJob("a", types)))).newKryo();

        assertNotNull(kryo.getRegistration(Colour.class));
    }

    @Test
    void newKryo_registersEachMessageUnderItsFixedId() {
        Kryo kryo = WireFormat.of(JobRegistry.loadDefault()).newKryo();

        assertEquals(16, kryo.getRegistration(TaskBatch.class).getId());
        assertEquals(17, kryo.getRegistration(ResultBatch.class).getId());
        assertEquals(18, kryo.getRegistration(TaskFailure.class).getId());
        assertEquals(19, kryo.getRegistration(Shutdown.class).getId());
    }

    @Test
    void newKryo_requiresRegistration_andRefusesUnlistedClasses() {
        Kryo kryo = WireFormat.of(JobRegistry.of(List.of(new StubJob("a", List.of(Point.class))))).newKryo();

        assertTrue(kryo.isRegistrationRequired());
        for (Object unlisted : List.of(new Label("x"), new ArrayList<>(), List.of(1), new Object())) {
            assertThrows(IllegalArgumentException.class,
                    () -> kryo.writeClassAndObject(new Output(64, -1), unlisted), unlisted.getClass().getName());
        }
        assertThrows(IllegalArgumentException.class, () -> kryo.getRegistration(Label.class));
    }

    @Test
    void newKryo_registersStandardAndJobTypes_andRoundTripsThem() {
        Kryo kryo = WireFormat.of(JobRegistry.of(List.of(new StubJob("a", List.of(Point.class))))).newKryo();
        List<Object> values = List.of(new Point(3, -4), new Range(2, 9), 5L, "text", new long[] {1, 2});

        for (Class<?> type : WireTypes.STANDARD) {
            assertNotNull(kryo.getRegistration(type), type.getName());
        }
        for (Object value : values) {
            Output out = new Output(64, -1);
            kryo.writeClassAndObject(out, value);
            Object read = kryo.readClassAndObject(new Input(out.toBytes()));
            assertTrue(Objects.deepEquals(value, read), () -> value + " read back as " + read);
        }
    }

    @Test
    void newKryo_eachCallIsANewInstance() {
        WireFormat format = WireFormat.of(JobRegistry.loadDefault());

        assertNotSame(format.newKryo(), format.newKryo());
    }

    private static long fingerprintOf(Job<?, ?>... jobs) {
        return WireFormat.of(JobRegistry.of(List.of(jobs))).fingerprint();
    }
}
