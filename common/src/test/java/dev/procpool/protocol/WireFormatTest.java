package dev.procpool.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.procpool.job.Range;
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

/**
 * The registration table: its fixed part and fingerprint, the classes a coordinator adds as they are used, how a
 * worker learns them by name (and tells another version of a class apart), and that its Kryo refuses anything
 * unlisted.
 */
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

    /** A class without fields: it travels as its class alone (a job or a function). */
    static final class Fieldless {
    }

    @Test
    void fingerprint_isTheSameForEveryTable_andUnchangedByTheClassesAdded() {
        WireFormat coordinator = WireFormat.forCoordinator();
        long before = coordinator.fingerprint();
        coordinator.register(Point.class);

        assertEquals(before, coordinator.fingerprint());
        assertEquals(before, WireFormat.forCoordinator().fingerprint());
        assertEquals(before, WireFormat.forWorker().fingerprint());
    }

    @Test
    void register_givesIdsInOrderFromTheFirstAddedOne_once() {
        WireFormat format = WireFormat.forCoordinator();

        WireType point = format.register(Point.class);
        WireType colour = format.register(Colour.class);

        assertEquals(WireFormat.FIRST_ADDED_ID, point.id());
        assertEquals(WireFormat.FIRST_ADDED_ID + 1, colour.id());
        assertSame(point, format.register(Point.class));
        assertEquals(WireKind.RECORD, point.kind());
        assertEquals(WireKind.ENUM, colour.kind());
        assertEquals(WireKind.STATELESS, format.register(Fieldless.class).kind());
        assertEquals(3, format.addedCount());
    }

    @Test
    void register_standardType_addsNothing() {
        WireFormat format = WireFormat.forCoordinator();

        for (Class<?> type : WireTypes.STANDARD) {
            assertNull(format.register(type), type.getName());
        }
        assertEquals(0, format.addedCount());
    }

    @ParameterizedTest
    @ValueSource(classes = {float[].class, String[].class, Object[].class, long[][].class, ArrayList.class,
        LinkedList.class, HashMap.class, Plain.class, Object.class, Runnable.class})
    void register_typeWithUncheckedLengthsOrNoBoundedEncoding_isRefusedSayingWhatToDo(Class<?> type) {
        WireFormat format = WireFormat.forCoordinator();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> format.register(type));

        assertTrue(e.getMessage().contains("record") || e.getMessage().contains("double[]"), e.getMessage());
        assertEquals(0, format.addedCount());
    }

    @Test
    void define_sameClassOnTheWorker_isAvailableUnderTheCoordinatorsId() {
        WireType sent = WireFormat.forCoordinator().register(Point.class);
        WireFormat worker = WireFormat.forWorker();

        WireType defined = worker.define(sent.id(), sent.className(), sent.kind(), sent.shape(), loader());

        assertTrue(defined.available(), defined.problem());
        assertSame(Point.class, defined.type());
        assertSame(defined, worker.added(sent.id()));
    }

    @Test
    void define_classMissingOnTheWorker_isUnavailableNamingIt() {
        WireFormat worker = WireFormat.forWorker();

        WireType defined = worker.define(WireFormat.FIRST_ADDED_ID, "com.example.Missing", WireKind.RECORD, 1,
                loader());

        assertFalse(defined.available());
        assertTrue(defined.problem().contains("class com.example.Missing is not on this worker's class path"),
                defined.problem());
    }

    @Test
    void define_idThatDoesNotFollowOn_isRefused() {
        WireFormat worker = WireFormat.forWorker();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> worker.define(WireFormat.FIRST_ADDED_ID + 1, Point.class.getName(), WireKind.RECORD, 1, loader()));

        assertTrue(e.getMessage().contains("where id " + WireFormat.FIRST_ADDED_ID + " is next"), e.getMessage());
    }

    /** The class {@code fingerprinted.Task} as one build declares it; the cases below are another build's. */
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
    void define_sameClassFromAnotherBuild_isAvailable(@TempDir Path dir) throws Exception {
        assertNull(problemDefining(TASK, dir.resolve("one"), TASK, dir.resolve("two")));
        assertNull(problemDefining("enum Task { A, B }", dir.resolve("three"), "enum Task { A, B }",
                dir.resolve("four")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherBuildsOfTheTask")
    void define_classOfTheSameNameWithAnotherShape_isUnavailableAsAnotherVersion(String change, String other,
            @TempDir Path dir) throws Exception {
        String original = other.startsWith("enum") ? "enum Task { A, B }" : TASK;

        String problem = problemDefining(original, dir.resolve("one"), other, dir.resolve("two"));

        assertNotNull(problem, change);
        assertTrue(problem.contains("another version of it"), problem);
    }

    /**
     * Registers {@code fingerprinted.Task} as the coordinator compiled it, then defines it on a worker whose class path
     * holds the worker's build; returns why it is unavailable there, or null.
     */
    private static String problemDefining(String coordinatorsTask, Path coordinatorDir, String workersTask,
            Path workerDir) throws Exception {
        try (URLClassLoader coordinator = compile(coordinatorsTask, coordinatorDir);
                URLClassLoader worker = compile(workersTask, workerDir)) {
            WireType sent = WireFormat.forCoordinator().register(coordinator.loadClass("fingerprinted.Task"));
            return WireFormat.forWorker().define(sent.id(), sent.className(), sent.kind(), sent.shape(), worker)
                    .problem();
        }
    }

    /** Compiles {@code fingerprinted.Task} from {@code declaration} into {@code dir}, as a build of a job would. */
    private static URLClassLoader compile(String declaration, Path dir) throws Exception {
        Path source = dir.resolve("fingerprinted/Task.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package fingerprinted;\npublic " + declaration + "\n");
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(),
                source.toString()), "javac's exit status");
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, WireFormatTest.class.getClassLoader());
    }

    @Test
    void newKryo_registersEachMessageUnderItsFixedId() {
        Kryo kryo = WireFormat.forCoordinator().newKryo();

        assertEquals(16, kryo.getRegistration(TaskBatch.class).getId());
        assertEquals(17, kryo.getRegistration(ResultBatch.class).getId());
        assertEquals(18, kryo.getRegistration(TaskFailure.class).getId());
        assertEquals(19, kryo.getRegistration(Shutdown.class).getId());
        assertEquals(20, kryo.getRegistration(Heartbeat.class).getId());
        assertEquals(21, kryo.getRegistration(TypeDefinitions.class).getId());
        assertEquals(22, kryo.getRegistration(JobDefinition.class).getId());
        assertEquals(23, kryo.getRegistration(Forget.class).getId());
    }

    @Test
    void codec_requiresRegistration_andRefusesClassesNotAdded() {
        WireFormat format = WireFormat.forCoordinator();
        format.register(Point.class);
        Kryo kryo = new WireCodec(format).kryo();

        assertTrue(kryo.isRegistrationRequired());
        for (Object unlisted : List.of(new Label("x"), new ArrayList<>(), List.of(1), new Object())) {
            assertThrows(IllegalArgumentException.class,
                    () -> kryo.writeClassAndObject(new Output(64, -1), unlisted), unlisted.getClass().getName());
        }
        assertThrows(IllegalArgumentException.class, () -> kryo.getRegistration(Label.class));
    }

    @Test
    void codec_catchesUpWithClassesAddedAfterItWasMade_andRoundTripsThem() {
        WireFormat format = WireFormat.forCoordinator();
        WireCodec codec = new WireCodec(format);
        codec.kryo();
        format.register(Point.class);
        format.register(Colour.class);
        List<Object> values = List.of(new Point(3, -4), Colour.BLUE, new Range(2, 9), 5L, "text", new long[] {1, 2});

        Kryo kryo = codec.kryo();

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
    void statelessClass_isMadeByItsConstructorOnAWorker_andRefusedFromOne() {
        WireFormat coordinator = WireFormat.forCoordinator();
        WireType sent = coordinator.register(Fieldless.class);
        WireFormat worker = WireFormat.forWorker();
        worker.define(sent.id(), sent.className(), sent.kind(), sent.shape(), loader());
        Output out = new Output(16, -1);
        new WireCodec(coordinator).kryo().writeClassAndObject(out, new Fieldless());

        Object made = new WireCodec(worker).kryo().readClassAndObject(new Input(out.toBytes()));

        assertTrue(made instanceof Fieldless, String.valueOf(made));
        assertThrows(RuntimeException.class,
                () -> new WireCodec(coordinator).kryo().readClassAndObject(new Input(out.toBytes())));
    }

    @Test
    void newKryo_eachCallIsANewInstance() {
        WireFormat format = WireFormat.forCoordinator();

        assertNotSame(format.newKryo(), format.newKryo());
    }

    private static ClassLoader loader() {
        return WireFormatTest.class.getClassLoader();
    }
}
