package dev.procpool.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * One entry of a worker's class path as a single file to copy elsewhere, named by the hash of its content: a jar as it
 * is, a class directory packed into a jar of the same content each time (sorted entries, no time stamps). Immutable.
 *
 * @param entry the class path entry, as given
 * @param file the file to copy: the entry itself, or the jar a directory was packed into (a temporary file, deleted
 *     when this JVM exits)
 * @param name the copy's file name: the jar's own, or the directory's name with {@code .jar}
 * @param sha256 the file's SHA-256, in hexadecimal
 */
record ClasspathFile(Path entry, Path file, String name, String sha256) {

    /** Hexadecimal digits of the hash that name a copy's directory: 128 bits, no two contents alike. */
    private static final int HASH_DIGITS = 32;

    /**
     * The file for {@code entry}, hashed.
     *
     * @throws IOException if the entry cannot be read (or, a directory, packed)
     */
    static ClasspathFile of(Path entry) throws IOException {
        if (Files.isDirectory(entry)) {
            Path jar = jarOf(entry);
            String name = (entry.getFileName() == null ? "classes" : entry.getFileName().toString()) + ".jar";
            return new ClasspathFile(entry, jar, name, sha256(jar));
        }
        if (!Files.isRegularFile(entry)) {
            throw new IOException("the class path entry " + entry + " is neither a file nor a directory here");
        }
        return new ClasspathFile(entry, entry, entry.getFileName().toString(), sha256(entry));
    }

    /** Where the copy goes under {@code directory}: {@code directory/HASH/NAME}, so equal contents share a copy. */
    String under(String directory) {
        return directory + "/" + sha256.substring(0, HASH_DIGITS) + "/" + name;
    }

    private static Path jarOf(Path directory) throws IOException {
        Path jar = Files.createTempFile("procpool-classes-", ".jar");
        jar.toFile().deleteOnExit();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> walk = Files.walk(directory)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                JarEntry entry = new JarEntry(directory.relativize(file).toString().replace('\\', '/'));
                entry.setTime(0); // the same classes give the same jar, and so the same hash
                out.putNextEntry(entry);
                try (InputStream in = Files.newInputStream(file)) {
                    in.transferTo((OutputStream) out);
                }
                out.closeEntry();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(jar);
            throw e;
        }
        return jar;
    }

    private static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                int read;
                while ((read = in.read(buffer)) > 0) {
                    digest.update(buffer, 0, read);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
