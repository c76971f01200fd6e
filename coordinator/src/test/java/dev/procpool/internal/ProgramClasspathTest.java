package dev.procpool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding a program's class path as {@code java -cp}, {@code mvn exec:java}, Surefire and IDEs leave it. */
class ProgramClasspathTest {

    private static final ClassLoader SYSTEM = ClassLoader.getSystemClassLoader();

    @TempDir
    Path root;

    private Path directory(String name) throws IOException {
        return Files.createDirectories(root.resolve(name));
    }

    /** A jar holding one class file, or none; with {@code classPath} as its manifest's Class-Path if not null. */
    private Path jar(String name, boolean withClass, String classPath) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) {
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        Path jar = root.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            if (withClass) {
                out.putNextEntry(new JarEntry("com/example/" + name.replace(".jar", "") + ".class"));
                out.write(new byte[] {(byte) 0xca, (byte) 0xfe});
                out.closeEntry();
            }
        }
        return jar;
    }

    private static String joined(Path... entries) {
        return String.join(File.pathSeparator, List.of(entries).stream().map(Path::toString).toList());
    }

    private static URLClassLoader loader(ClassLoader parent, Path... entries) throws IOException {
        URL[] urls = new URL[entries.length];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = entries[i].toUri().toURL();
        }
        return new URLClassLoader(urls, parent);
    }

    @Test
    void javaClassPath_keepsOrder_dropsMissingAndRepeatedEntries() throws IOException {
        Path classes = directory("classes");
        Path library = jar("library.jar", true, null);
        Path other = directory("other");
        String classPath = joined(classes, root.resolve("missing.jar"), library, classes, other)
                + File.pathSeparator + File.pathSeparator + root.resolve("other/../library.jar");

        assertEquals(List.of(classes, library, other),
                ProgramClasspath.discover(SYSTEM, SYSTEM, classPath, List.of()));
    }

    @Test
    void modularProgram_itsModulesFromTheModulePath_comeAfterTheClassPath() throws IOException {
        Path app = directory("mods/app");
        Path library = jar("library.jar", true, null);
        Path classes = directory("classes");

        assertEquals(List.of(app, library), ProgramClasspath.discover(SYSTEM, SYSTEM, "", List.of(app, library)));
        assertEquals(List.of(classes, app, library),
                ProgramClasspath.discover(SYSTEM, SYSTEM, classes.toString(), List.of(app, library, classes)));
    }

    @Test
    void bootModules_ofAProgramOnTheClassPath_areNone() {
        assertEquals(List.of(), ProgramClasspath.bootModules(), "the JDK's modules are not files");
    }

    @Test
    void manifestOnlyJar_asTestRunnersAndIdesBootFrom_isReplacedByTheEntriesItLists() throws IOException {
        Path classes = directory("target/test-classes");
        Path library = jar("library.jar", true, null);
        Path booter = jar("surefirebooter.jar", false,
                classes.toUri() + " library.jar " + root.resolve("gone.jar").toUri());

        assertEquals(List.of(classes, library),
                ProgramClasspath.discover(SYSTEM, SYSTEM, booter.toString(), List.of()));
    }

    @Test
    void jarWithClassesAndAClassPath_isKept_thenWhatItLists_evenInCycles() throws IOException {
        Path first = jar("first.jar", true, "second.jar");
        Path second = jar("second.jar", true, "first.jar third.jar");
        Path third = jar("third.jar", true, null);

        assertEquals(List.of(first, second, third),
                ProgramClasspath.discover(SYSTEM, SYSTEM, first.toString(), List.of()));
    }

    @Test
    void programInAChildLoader_asMvnExecJavaRunsIt_comesFirst_thenJavaClassPath() throws IOException {
        Path classes = directory("project/classes");
        Path dependency = jar("dependency.jar", true, null);
        Path launcher = jar("launcher.jar", true, null);
        try (URLClassLoader program = loader(SYSTEM, classes, dependency)) {
            assertEquals(List.of(classes, dependency, launcher),
                    ProgramClasspath.discover(program, SYSTEM, launcher.toString(), List.of()));
        }
    }

    @Test
    void loaderChainsOfSeveralLoaders_innermostFirst() throws IOException {
        Path outer = jar("outer.jar", true, null);
        Path inner = directory("inner");
        try (URLClassLoader parent = loader(SYSTEM, outer); URLClassLoader child = loader(parent, inner, outer)) {
            assertEquals(List.of(inner, outer), ProgramClasspath.discover(child, SYSTEM, "", List.of()));
        }
    }

    @Test
    void loaderThatDoesNotDelegateToTheSystemLoader_leavesJavaClassPathOut() throws IOException {
        Path classes = directory("isolated");
        Path launcher = jar("launcher.jar", true, null);
        try (URLClassLoader isolated = loader(ClassLoader.getPlatformClassLoader(), classes)) {
            assertEquals(List.of(classes),
                    ProgramClasspath.discover(isolated, SYSTEM, launcher.toString(), List.of()));
        }
    }

    @Test
    void discover_inThisTestJvm_holdsTheTestClassesAndTheWorker() throws Exception {
        List<Path> found = ProgramClasspath.discover();
        Path testClasses = Path.of(ProgramClasspathTest.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI());
        Path worker = Path.of(Class.forName("dev.procpool.worker.WorkerMain").getProtectionDomain().getCodeSource()
                .getLocation().toURI());

        assertTrue(found.contains(testClasses), found.toString());
        assertTrue(found.contains(worker), found.toString());
    }
}
