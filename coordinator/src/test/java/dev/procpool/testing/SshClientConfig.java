package dev.procpool.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes an OpenSSH client configuration that names {@link SshServerFixture}s as hosts, so that
 * {@code ssh -F FILE ALIAS 'echo hi'} reaches one; stateless and thread-safe.
 */
public final class SshClientConfig {

    private SshClientConfig() {
    }

    /** Writes one {@code Host} block per alias into {@code file} (0600, replaced if present) and returns it. */
    public static Path write(Path file, Map<String, SshServerFixture> hostsByAlias) throws IOException {
        StringBuilder config = new StringBuilder();
        new TreeMap<>(hostsByAlias).forEach((alias, host) -> config.append(hostBlock(alias, host)));
        return write(file, config.toString());
    }

    /** Writes {@code config}, {@code Host} blocks, into {@code file} (0600, replaced if present) and returns it. */
    public static Path write(Path file, String config) throws IOException {
        Files.deleteIfExists(file);
        // ssh refuses a configuration file that others can write.
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.writeString(file, config);
    }

    /** The {@code Host} block for one fixture: its port and key, no host key checks, no prompts. */
    public static String hostBlock(String alias, SshServerFixture host) {
        return hostBlock(alias, host.port(), host.identityFile());
    }

    /** The {@code Host} block for {@code alias} at 127.0.0.1 on {@code port}, logging in with {@code identityFile}. */
    public static String hostBlock(String alias, int port, Path identityFile) {
        return """
                Host %s
                  HostName 127.0.0.1
                  Port %d
                  User %s
                  IdentityFile "%s"
                  IdentitiesOnly yes
                  StrictHostKeyChecking no
                  UserKnownHostsFile /dev/null
                  BatchMode yes
                  LogLevel ERROR
                """.formatted(alias, port, SshServerFixture.user(), identityFile);
    }
}
