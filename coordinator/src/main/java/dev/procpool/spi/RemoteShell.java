package dev.procpool.spi;

import java.util.List;

/**
 * Writes command lines for a remote shell: {@code ssh} hands the remote side one string, which the user's login
 * shell parses again, so every argument is quoted for a POSIX shell. Stateless.
 */
final class RemoteShell {

    private RemoteShell() {
    }

    /** {@code argument} in single quotes, each single quote in it written as {@code '\''}. */
    static String quote(String argument) {
        return "'" + argument.replace("'", "'\\''") + "'";
    }

    /** The arguments quoted and joined with spaces: one command the remote shell runs as these exact arguments. */
    static String command(List<String> arguments) {
        StringBuilder line = new StringBuilder();
        for (String argument : arguments) {
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(quote(argument));
        }
        return line.toString();
    }
}
