package dev.procpool.spi;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds programs of this machine that procpool starts its helpers through ({@code setpriv}, {@code setsid}).
 * Stateless.
 */
final class LocalPrograms {

    private LocalPrograms() {
    }

    /** The first executable {@code program} on this JVM's {@code PATH}, then in {@code /usr/bin} and {@code /bin}. */
    static Optional<Path> find(String program) {
        String path = System.getenv("PATH");
        List<String> directories = new ArrayList<>(path == null ? List.of() : List.of(path.split(File.pathSeparator)));
        directories.addAll(List.of("/usr/bin", "/bin"));
        return directories.stream().filter(directory -> !directory.isEmpty())
                .map(directory -> Path.of(directory, program)).filter(Files::isExecutable).findFirst();
    }
}
