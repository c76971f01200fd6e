package dev.procpool.internal;

import java.io.File;
import java.io.IOException;
import java.lang.module.ResolvedModule;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The class path of the program that runs a pool, as a list of files a worker JVM can take with {@code -cp}: what a
 * class loader of that program can load classes from. Stateless.
 *
 * <p>It reads three places, because programs are started in three ways:
 * <ul>
 *   <li>the loaders from the given one (the thread's context class loader) up to the system class loader, innermost
 *       first, taking the files of each {@link URLClassLoader}: {@code mvn exec:java} runs a program in such a loader
 *       while {@code java.class.path} is Maven's own, and so do application servers and some test runners;</li>
 *   <li>{@code java.class.path}, when the system class loader is among those loaders: {@code java -cp}, IDEs; then the
 *       files of the modules the JVM resolved from its module path: a modular program
 *       ({@code java --module-path ... -m app/app.Main}), whose {@code java.class.path} is empty. A worker takes them
 *       on its class path, where each is an unnamed module's code like any other;</li>
 *   <li>the {@code Class-Path} of every jar's manifest, followed as the JVM follows it. A jar that holds nothing but
 *       such a manifest (a test runner's booter jar, an IDE's "shortened" class path) is replaced by what it lists.</li>
 * </ul>
 * Entries that do not exist are left out, and so is every entry after its first appearance; the order is kept.
 */
public final class ProgramClasspath {

    private ProgramClasspath() {
    }

    /** The class path of the program whose code runs in this thread. */
    public static List<Path> discover() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return discover(context != null ? context : ProgramClasspath.class.getClassLoader(),
                ClassLoader.getSystemClassLoader(), System.getProperty("java.class.path", ""), bootModules());
    }

    /** The files of the modules of the boot layer that came from files: those of the module path, not the JDK's. */
    static List<Path> bootModules() {
        List<Path> files = new ArrayList<>();
        for (ResolvedModule module : ModuleLayer.boot().configuration().modules()) {
            module.reference().location().ifPresent(location -> {
                if ("file".equalsIgnoreCase(location.getScheme())) {
                    files.add(Path.of(location));
                }
            });
        }
        files.sort(null); // the layer's set has no order; a stable one keeps the workers' cache key stable
        return files;
    }

    /**
     * The class path seen from {@code loader}: the files of the {@link URLClassLoader}s from it up its parents, then
     * {@code javaClassPath} and {@code modules} if {@code system} is one of them.
     */
    static List<Path> discover(ClassLoader loader, ClassLoader system, String javaClassPath, List<Path> modules) {
        Set<Path> entries = new LinkedHashSet<>();
        Set<Path> seen = new HashSet<>();
        for (ClassLoader current = loader; current != null; current = current.getParent()) {
            if (current == system) {
                for (String entry : javaClassPath.split(File.pathSeparator)) {
                    if (!entry.isBlank()) {
                        add(pathOf(entry), entries, seen);
                    }
                }
                for (Path module : modules) {
                    add(module, entries, seen);
                }
                break;
            }
            if (current instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    add(fileOf(url), entries, seen);
                }
            }
        }
        return List.copyOf(entries);
    }

    /**
     * Adds {@code entry} if it exists and has not been {@code seen}, then what its manifest's {@code Class-Path} lists.
     */
    private static void add(Path entry, Set<Path> entries, Set<Path> seen) {
        if (entry == null || !Files.exists(entry)) {
            return;
        }
        Path normal = entry.toAbsolutePath().normalize();
        if (!seen.add(normal)) {
            return;
        }
        if (!Files.isRegularFile(normal)) {
            entries.add(normal); // a directory of classes
            return;
        }
        List<Path> listed = new ArrayList<>();
        boolean manifestOnly = readJar(normal, listed);
        if (!manifestOnly) {
            entries.add(normal);
        }
        for (Path next : listed) {
            add(next, entries, seen);
        }
    }

    /**
     * Reads the jar {@code jar}: what its manifest's {@code Class-Path} lists goes into {@code listed}, and the answer
     * is whether the jar holds nothing but that manifest. A file that is not a jar is an entry like any other: the JVM
     * skips it.
     */
    private static boolean readJar(Path jar, List<Path> listed) {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Manifest manifest = file.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (classPath == null || classPath.isBlank()) {
                return false;
            }
            for (String relative : classPath.trim().split("\\s+")) {
                listed.add(resolve(jar, relative));
            }
            return onlyManifest(file);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean onlyManifest(JarFile file) {
        Enumeration<JarEntry> contents = file.entries();
        while (contents.hasMoreElements()) {
            if (!contents.nextElement().getName().startsWith("META-INF/")) {
                return false;
            }
        }
        return true;
    }

    /** A {@code Class-Path} entry is a URL, relative to the jar that lists it; null if it is not a usable one. */
    private static Path resolve(Path jar, String relative) {
        try {
            return fileOf(jar.toUri().resolve(new URI(relative)).toURL());
        } catch (URISyntaxException | IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The file a {@code file:} URL names; null for any other URL. */
    private static Path fileOf(URL url) {
        if (!"file".equalsIgnoreCase(url.getProtocol())) {
            return null;
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private static Path pathOf(String entry) {
        try {
            return Path.of(entry);
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
