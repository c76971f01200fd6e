package dev.procpool.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Lets a test class that drives the system {@code ssh} client run only where one is on {@code PATH}: elsewhere its
 * tests are skipped, with the reason, unless the environment variable {@value #REQUIRED} is {@code 1}, which makes the
 * missing client a failure (for CI, where a skipped SSH test would hide that nothing was tested). Stateless.
 */
public final class RequiresSshClient implements BeforeAllCallback {

    /** The environment variable that turns a missing {@code ssh} client from a skip into a failure. */
    public static final String REQUIRED = "PROCPOOL_REQUIRE_SSH";

    @Override
    public void beforeAll(ExtensionContext context) {
        check(onPath("ssh"), "1".equals(System.getenv(REQUIRED)));
    }

    /**
     * Returns if the client is installed; otherwise skips the tests, or fails them if they are required.
     *
     * @param installed whether {@code ssh} is on {@code PATH}
     * @param required whether {@value #REQUIRED} is {@code 1}
     */
    static void check(boolean installed, boolean required) {
        if (installed) {
            return;
        }
        String why = "no ssh client on PATH: install OpenSSH's client (Debian: openssh-client) to run the SSH tests";
        if (required) {
            fail(why + "; they are required here (" + REQUIRED + "=1)");
        }
        assumeTrue(false, why + " (set " + REQUIRED + "=1 to make this a failure)");
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(directory -> !directory.isEmpty())
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, program)));
    }
}
