package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.procpool.testing.Command;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bar for the library: a brand-new Maven project ({@code coordinator/src/client-project}) with nothing of
 * procpool in it but the README's dependency block builds against procpool's artifacts as {@code mvn install} leaves
 * them, and runs its own job on two worker processes under its own JUnit test ({@code mvn test}),
 * {@code mvn exec:java} and {@code java -cp}, with no other configuration.
 *
 * <p>The artifacts this build has just packaged go into a repository of their own under {@code target/}, never into
 * the user's; the project's other dependencies and Maven's plugins come from the outer build's local repository
 * (read as a remote one, releases only) and else from Maven Central. The set-up runs every build and program once and
 * keeps what they printed; each test checks one claim against it.
 */
class ClientProjectIT {

    private static final Path ROOT = Command.root();
    private static final Path SOURCES = ROOT.resolve("coordinator/src/client-project");
    private static final Path WORK = ROOT.resolve("coordinator/target/client-project");
    private static final Path REPOSITORY = WORK.resolve("repository");
    private static final Path PROJECT = WORK.resolve("project");
    private static final Path CACHE = WORK.resolve("cache");
    private static final String VERSION = System.getProperty("procpool.version");
    private static final String MAIN = "com.example.client.Main";
    private static final String RESULT = "sum of squares below 1000000: 333332833333500000, on workers [";
    /** A Kryo whose classes, ahead of an unrelocated Kryo 5 on a class path, would break procpool's wire format. */
    private static final String OTHER_KRYO = "com.esotericsoftware:kryo:4.0.3";
    private static final String DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1";
    private static final Duration BUILD_LIMIT = Duration.ofMinutes(5);
    private static final Duration RUN_LIMIT = Duration.ofMinutes(2);

    private static final Map<String, Command.Outcome> RUNS = new LinkedHashMap<>();
    private static final Map<String, Duration> TIMES = new LinkedHashMap<>();
    private static List<Path> cacheFiles;

    @BeforeAll
    @Timeout(900)
    static void buildAndRunTheClientsProject() throws Exception {
        String mvn = maven();
        installArtifacts();
        Path settings = writeSettings();
        writeProject();
        deleteTree(CACHE);
        List<String> maven = List.of("-B", "-ntp", "-Dstyle.color=never", "-s", settings.toString(),
                "-Dmaven.repo.local=" + REPOSITORY);

        run("mvn test", BUILD_LIMIT, mvn, with(maven, "test"));
        run("mvn exec:java", BUILD_LIMIT, mvn, with(maven, "compile", "exec:java", "-Dexec.mainClass=" + MAIN,
                DEPENDENCY_PLUGIN + ":build-classpath", "-Dmdep.outputFile=target/classpath.txt",
                DEPENDENCY_PLUGIN + ":get", "-Dartifact=" + OTHER_KRYO, "-Dtransitive=false"));
        Path classpathFile = PROJECT.resolve("target/classpath.txt");
        if (Files.isRegularFile(classpathFile)) {
            String classpath = PROJECT.resolve("target/classes") + File.pathSeparator
                    + Files.readString(classpathFile).strip();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            run("java -cp", RUN_LIMIT, java, List.of("-cp", classpath, MAIN));
            Path otherKryo = REPOSITORY.resolve("com/esotericsoftware/kryo/4.0.3/kryo-4.0.3.jar");
            run("java -cp, Kryo 4 first", RUN_LIMIT, java,
                    List.of("-cp", otherKryo + File.pathSeparator + classpath, MAIN));
        }
        cacheFiles = cacheFiles();
        System.out.println("client project: " + TIMES.entrySet().stream()
                .map(time -> time.getKey() + " " + time.getValue().toMillis() / 100 / 10.0 + " s").toList());
    }

    @Test
    void clientsJUnitTest_runsItsJobOnTwoWorkerProcesses() {
        Command.Outcome test = outcome("mvn test");

        assertEquals(0, test.exitCode(), test.stdout());
        assertTrue(test.stdout().contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0"), test.stdout());
    }

    @Test
    void mvnExecJava_runsTheClientsMain_withTheRightResult() {
        Command.Outcome exec = outcome("mvn exec:java");

        assertEquals(0, exec.exitCode(), exec.stdout());
        assertTrue(exec.stdout().contains(RESULT), exec.stdout());
        assertTrue(exec.stdout().lines().noneMatch(line -> line.startsWith("[WARNING]")
                && (line.contains("procpool") || line.contains("thread"))),
                "no thread of the pool outlives it, nothing procpool does makes Maven warn: " + exec.stdout());
    }

    @Test
    void javaCp_runsTheClientsMain_withTheRightResult_quietly() {
        assertRanQuietly(outcome("java -cp"));
    }

    @Test
    void anotherKryoAheadOnTheClassPath_theClientsMainStillWorks() {
        assertRanQuietly(outcome("java -cp, Kryo 4 first"));
    }

    @Test
    void clientGetsThreeJars_noKryo_nothingOfTheCommandLine() throws IOException {
        Path classpathFile = PROJECT.resolve("target/classpath.txt");
        assertTrue(Files.isRegularFile(classpathFile), outcome("mvn exec:java").stdout());
        List<String> jars = Stream.of(Files.readString(classpathFile).strip().split(File.pathSeparator))
                .map(entry -> Path.of(entry).getFileName().toString()).filter(name -> !name.startsWith("junit")
                        && !name.startsWith("opentest4j") && !name.startsWith("apiguardian"))
                .sorted().toList();

        assertEquals(List.of("procpool-common-" + VERSION + ".jar", "procpool-coordinator-" + VERSION + ".jar",
                "procpool-worker-" + VERSION + ".jar"), jars, "beside JUnit, the client's test dependency");
    }

    @Test
    void installedCommonJar_holdsKryoRelocated_andItsPomNamesNoDependency() throws IOException {
        Path common = REPOSITORY.resolve("dev/procpool/procpool-common/" + VERSION);
        try (JarFile jar = new JarFile(common.resolve("procpool-common-" + VERSION + ".jar").toFile())) {
            List<String> foreign = jar.stream().map(entry -> entry.getName())
                    .filter(name -> name.startsWith("com/") || name.startsWith("org/")).toList();

            assertEquals(List.of(), foreign, "no class outside dev.procpool");
            assertTrue(jar.getEntry("dev/procpool/shaded/com/esotericsoftware/kryo/Kryo.class") != null);
            assertTrue(jar.getEntry("dev/procpool/shaded/org/objenesis/Objenesis.class") != null);
        }
        String pom = Files.readString(common.resolve("procpool-common-" + VERSION + ".pom"));
        String dependencies = pom.substring(pom.indexOf("<dependencies>"));
        assertFalse(dependencies.contains("kryo") || dependencies.contains("objenesis"), pom);
    }

    @Test
    void workersAotCache_madeOnce_forEveryWayTheClientRan() {
        assertEquals(1, cacheFiles.size(), "one cache for the four programs, keyed by procpool's jars: " + cacheFiles);
    }

    private static void assertRanQuietly(Command.Outcome run) {
        assertEquals(0, run.exitCode(), run.stdout() + run.stderr());
        assertTrue(run.stdout().contains(RESULT), run.stdout());
        assertEquals("", run.stderr(), "no warning, no notice, nothing from the workers");
    }

    private static Command.Outcome outcome(String name) {
        Command.Outcome outcome = RUNS.get(name);
        return outcome != null ? outcome : fail(name + " did not run: the build before it failed: " + RUNS);
    }

    /**
     * The {@code mvn} that runs this build, else the one on the PATH. Without one, the test is skipped, except on CI
     * ({@code CI=true}), where it fails.
     */
    private static String maven() {
        String home = System.getProperty("maven.home");
        if (home != null && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
            return Path.of(home, "bin", "mvn").toString();
        }
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!directory.isBlank() && Files.isExecutable(Path.of(directory, "mvn"))) {
                return Path.of(directory, "mvn").toString();
            }
        }
        String why = "no mvn (not in maven.home, not on the PATH): the client's project cannot be built";
        if ("true".equals(System.getenv("CI"))) {
            return fail(why);
        }
        System.err.println("ClientProjectIT skipped: " + why);
        return Assumptions.abort(why);
    }

    /**
     * Puts the artifacts this build packaged into the private repository exactly as {@code mvn install} lays them
     * out: each module's jar, with its POM (procpool-common's being the one without Kryo that shading wrote).
     */
    private static void installArtifacts() throws IOException {
        assertTrue(VERSION != null && !VERSION.isBlank(), "procpool.version is set by the build");
        deleteTree(REPOSITORY.resolve("dev/procpool"));
        install("procpool-parent", ROOT.resolve("pom.xml"), null);
        install("procpool-common", ROOT.resolve("common/target/dependency-reduced-pom.xml"),
                ROOT.resolve("common/target/procpool-common-" + VERSION + ".jar"));
        install("procpool-worker", ROOT.resolve("worker/pom.xml"),
                ROOT.resolve("worker/target/procpool-worker-" + VERSION + ".jar"));
        install("procpool-coordinator", ROOT.resolve("coordinator/pom.xml"),
                ROOT.resolve("coordinator/target/procpool-coordinator-" + VERSION + ".jar"));
    }

    private static void install(String artifactId, Path pom, Path jar) throws IOException {
        Path directory = Files.createDirectories(REPOSITORY.resolve("dev/procpool").resolve(artifactId)
                .resolve(VERSION));
        String base = artifactId + "-" + VERSION;
        Files.copy(pom, directory.resolve(base + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            Files.copy(jar, directory.resolve(base + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Maven settings that add the outer build's local repository as a remote one, for releases only (a local
     * repository keeps no checksums to check).
     */
    private static Path writeSettings() throws IOException {
        String outer = System.getProperty("procpool.outer.repository",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        String repository = """
                <id>outer-build</id><url>%s</url>
                <releases><enabled>true</enabled><checksumPolicy>ignore</checksumPolicy></releases>
                <snapshots><enabled>false</enabled></snapshots>
                """.formatted(Path.of(outer).toUri());
        String settings = """
                <settings>
                  <profiles>
                    <profile>
                      <id>outer-build</id>
                      <repositories><repository>%1$s</repository></repositories>
                      <pluginRepositories><pluginRepository>%1$s</pluginRepository></pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>outer-build</activeProfile></activeProfiles>
                </settings>
                """.formatted(repository);
        return Files.writeString(Files.createDirectories(WORK).resolve("settings.xml"), settings);
    }

    /** Copies the client's project, with the README's dependency block where its POM marks it. */
    private static void writeProject() throws IOException {
        deleteTree(PROJECT);
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path copy = PROJECT.resolve(SOURCES.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy);
            }
        }
        Path pom = PROJECT.resolve("pom.xml");
        String marker = "    <!-- README.md's dependency block -->\n";
        String template = Files.readString(pom);
        assertTrue(template.contains(marker), "the client's POM marks where the README's block goes");
        Files.writeString(pom, template.replace(marker, indented(readmeDependencyBlock(), "    ")));
    }

    /** The first {@code xml} block of the README's library section. */
    static String readmeDependencyBlock() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int section = readme.indexOf("\n## As a Java library\n");
        assertTrue(section >= 0, "the README has a library section");
        int start = readme.indexOf("```xml\n", section);
        assertTrue(start >= 0, "the library section has a dependency block");
        String block = readme.substring(start + "```xml\n".length(), readme.indexOf("```", start + 6));
        assertTrue(block.contains("<artifactId>procpool-coordinator</artifactId>"), block);
        assertTrue(block.contains("<version>" + VERSION + "</version>"), "the README gives this version: " + block);
        return block;
    }

    private static String indented(String block, String indent) {
        StringBuilder out = new StringBuilder();
        block.lines().forEach(line -> out.append(indent).append(line).append('\n'));
        return out.toString();
    }

    /**
     * Runs a program in the project, with Java 25 as JAVA_HOME and the AOT cache under {@link #CACHE}; what it printed
     * is kept, and written to a log file beside the project.
     */
    private static void run(String name, Duration limit, String program, List<String> arguments) throws IOException {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.put("XDG_CACHE_HOME", CACHE.toString());
        long start = System.nanoTime();
        Command.Outcome outcome = Command.run(limit, PROJECT, environment, program, arguments);
        TIMES.put(name, Duration.ofNanos(System.nanoTime() - start));
        RUNS.put(name, outcome);
        Files.writeString(WORK.resolve(name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + ".log"), program
                + " " + String.join(" ", arguments) + "\nexit " + outcome.exitCode() + "\n--- stdout\n"
                + outcome.stdout() + "--- stderr\n" + outcome.stderr());
    }

    private static List<String> with(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }

    private static List<Path> cacheFiles() throws IOException {
        Path directory = CACHE.resolve("procpool");
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".aot")).sorted().toList();
        }
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
