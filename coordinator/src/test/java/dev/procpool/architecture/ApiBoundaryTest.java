package dev.procpool.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.ProcessPool;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The API is the API: no public signature of {@code dev.procpool} or {@code dev.procpool.spi} mentions the engine
 * ({@code internal}) or the wire protocol, and the command line's packages use the API alone.
 */
class ApiBoundaryTest {

    private static final List<String> HIDDEN = List.of("dev.procpool.internal.", "dev.procpool.protocol.");

    private static Path classes() throws URISyntaxException {
        return Path.of(ProcessPool.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static List<Class<?>> publicClassesOf(String packageName) throws Exception {
        Path directory = classes().resolve(packageName.replace('.', '/'));
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = file.getFileName().toString().replace(".class", "");
                Class<?> type = Class.forName(packageName + "." + name, false, ApiBoundaryTest.class.getClassLoader());
                if (Modifier.isPublic(type.getModifiers())) {
                    found.add(type);
                }
            }
        }
        return found;
    }

    private static void check(String where, Type type, List<String> leaks) {
        String name = type.getTypeName();
        for (String hidden : HIDDEN) {
            if (name.contains(hidden)) {
                leaks.add(where + ": " + name);
            }
        }
    }

    @Test
    void publicSignaturesOfTheApiAndSpi_mentionNeitherTheEngineNorTheProtocol() throws Exception {
        List<String> leaks = new ArrayList<>();
        int checked = 0;
        for (String api : List.of("dev.procpool", "dev.procpool.spi")) {
            for (Class<?> type : publicClassesOf(api)) {
                checked++;
                for (Type supertype : type.getGenericInterfaces()) {
                    check(type.getName() + " implements", supertype, leaks);
                }
                for (Method method : type.getMethods()) {
                    if (method.getDeclaringClass() != type) {
                        continue;
                    }
                    check(type.getName() + "." + method.getName(), method.getGenericReturnType(), leaks);
                    for (Type parameter : method.getGenericParameterTypes()) {
                        check(type.getName() + "." + method.getName(), parameter, leaks);
                    }
                }
                for (Constructor<?> constructor : type.getConstructors()) {
                    for (Type parameter : constructor.getGenericParameterTypes()) {
                        check(type.getName() + " constructor", parameter, leaks);
                    }
                }
                for (Field field : type.getFields()) {
                    check(type.getName() + "." + field.getName(), field.getGenericType(), leaks);
                }
            }
        }
        assertTrue(checked > 20, "found the API's classes: " + checked);
        assertEquals(List.of(), leaks);
    }

    @Test
    void commandLinePackages_importNothingOfTheEngine() throws IOException {
        Path sources = Path.of(System.getProperty("procpool.root", "..")).toAbsolutePath()
                .resolve("coordinator/src/main/java/dev/procpool");
        List<String> offenders = new ArrayList<>();
        int read = 0;
        for (String tool : List.of("cli", "bench", "demo")) {
            try (Stream<Path> files = Files.walk(sources.resolve(tool))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    read++;
                    if (Files.readString(file).contains("import dev.procpool.internal.")) {
                        offenders.add(sources.relativize(file).toString());
                    }
                }
            }
        }
        assertTrue(read > 20, "read the command line's sources: " + read);
        assertEquals(List.of(), offenders);
    }

    @Test
    void coordinator_importsNothingOfTheWorker_whoseDependencyIsForTheClientsClassPath() throws IOException {
        Path sources = Path.of(System.getProperty("procpool.root", "..")).toAbsolutePath()
                .resolve("coordinator/src/main/java");
        List<String> offenders = new ArrayList<>();
        int read = 0;
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                read++;
                if (Files.readString(file).contains("import dev.procpool.worker.")) {
                    offenders.add(sources.relativize(file).toString());
                }
            }
        }
        assertTrue(read > 100, "read the coordinator's sources: " + read);
        assertEquals(List.of(), offenders);
    }
}
