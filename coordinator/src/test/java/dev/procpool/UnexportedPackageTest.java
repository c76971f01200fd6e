package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.job.TaskFunction;
import dev.procpool.jobs.SqrtJob;
import dev.procpool.testing.TestPools;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Supplier;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A function holding a record of a module that does not export its package: procpool cannot reach the record's
 * members, so the function is refused in one line that says what to write in the module's {@code module-info.java},
 * and the pool goes on running other jobs. The module ({@code sealed}, with a record {@code sealed.inside.Marker}) is
 * compiled here and loaded in a module layer of its own;
 * the test gets a record through the service the module provides.
 */
@Timeout(120)
class UnexportedPackageTest {

    /** Holds anything, declared as {@code Object}: the walk of its value finds the record of the closed module. */
    record Holding(Object held) implements TaskFunction<Long, Long> {
        @Override
        public Long apply(Long x) {
            return x;
        }
    }

    @TempDir
    static Path directory;

    private static Object marker;

    @BeforeAll
    static void compileClosedModule() throws Exception {
        Path sources = directory.resolve("src");
        Path classes = directory.resolve("classes");
        Files.createDirectories(sources.resolve("sealed/inside"));
        Files.writeString(sources.resolve("module-info.java"),
                "module sealed { provides java.util.function.Supplier with sealed.inside.Marker; }\n");
        Files.writeString(sources.resolve("sealed/inside/Marker.java"),
                "package sealed.inside;\npublic record Marker() implements java.util.function.Supplier<String> {\n"
                        + "    public String get() { return \"marker\"; }\n}\n");
        int exit = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                sources.resolve("module-info.java").toString(), sources.resolve("sealed/inside/Marker.java").toString());
        assertEquals(0, exit, "the closed module compiles");
        ModuleLayer boot = ModuleLayer.boot();
        Configuration configuration = boot.configuration().resolve(ModuleFinder.of(classes), ModuleFinder.of(),
                Set.of("sealed"));
        ModuleLayer layer = boot.defineModulesWithOneLoader(configuration, ClassLoader.getSystemClassLoader());
        // A service provider is made by the module system, not by reflection from outside: the one way in.
        marker = ServiceLoader.load(layer, Supplier.class).findFirst().orElseThrow();
        assertFalse(marker.getClass().getModule().isExported("sealed.inside"), "the package is not exported");
    }

    @Test
    void checkSendable_recordOfAPackageNotExported_isRefusedInOneLineSayingWhatToExport() {
        JobNotSendableException refused = assertThrows(JobNotSendableException.class,
                () -> ProcessPool.checkSendable(new Holding(marker)));

        assertTrue(refused.getMessage().contains("module sealed does not export package sealed.inside"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("export (or open) package sealed.inside"), refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"), refused.getMessage());
    }

    @Test
    void map_recordOfAPackageNotExported_isRefusedAndLaterJobsRun() {
        double expected;
        try (Runner sequential = new SequentialRunner()) {
            expected = sequential.run(new SqrtJob(), 1000, 4).value();
        }
        try (ProcessPool pool = TestPools.builder(1).start()) {
            JobNotSendableException refused = assertThrows(JobNotSendableException.class,
                    () -> pool.map(new Holding(marker), List.of(1L, 2L)));
            assertTrue(refused.getMessage().contains("export (or open) package sealed.inside"), refused.getMessage());

            assertThrows(JobNotSendableException.class, () -> pool.map(new Holding(marker), List.of(1L)),
                    "refused again, the same way");
            assertEquals(List.of(1L, 2L), pool.map(new Holding(7L), List.of(1L, 2L)));
            assertEquals(expected, pool.run(new SqrtJob(), 1000, 4).value());
        }
    }
}
