package dev.procpool;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;

/** A class loader over the user's class path entries (jars of their own jobs), on top of procpool's own. */
public final class UserClasspath {

    private UserClasspath() {
    }

    /**
     * A loader for {@code entries} whose parent is procpool's loader, so job classes see the job API. It is left
     * open on purpose: the jobs it loads are used for as long as this JVM runs.
     */
    public static ClassLoader loader(List<Path> entries) {
        URL[] urls = new URL[entries.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = entries.get(i).toAbsolutePath().toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("class path entry " + entries.get(i) + " is not a valid path", e);
            }
        }
        return new URLClassLoader(urls, UserClasspath.class.getClassLoader());
    }
}
