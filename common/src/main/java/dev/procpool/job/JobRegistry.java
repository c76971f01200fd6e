package dev.procpool.job;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The jobs visible to one class loader, found with {@link ServiceLoader} and ordered by name. Immutable and
 * thread-safe once built.
 *
 * <p>The coordinator finds its jobs on its class path and names their classes to every worker, which makes the same
 * jobs from its own class path ({@link #load(List, ClassLoader)}), so a job name means the same job on both sides;
 * the wire format's registration fingerprint checks that it does.
 */
public final class JobRegistry {

    private final Map<String, Job<?, ?>> jobs;

    private JobRegistry(Map<String, Job<?, ?>> jobs) {
        this.jobs = Collections.unmodifiableMap(jobs);
    }

    /** The jobs listed in {@code META-INF/services/dev.procpool.job.Job} on the given class loader's path. */
    public static JobRegistry load(ClassLoader classLoader) {
        List<Job<?, ?>> found = new ArrayList<>();
        try {
            for (Job<?, ?> job : ServiceLoader.load(Job.class, classLoader)) {
                found.add(job);
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("cannot load a job: " + e.getMessage(), e);
        }
        return of(found);
    }

    /**
     * The jobs of these classes, each made through its public no-argument constructor as {@link ServiceLoader}
     * would make it. A worker makes the jobs its coordinator names this way: searching the class path for
     * {@code META-INF/services} files instead (opening the jar, resolving {@code jar:} URLs) was the slowest part of
     * its start-up, about 15 ms of 25.
     *
     * @throws IllegalStateException naming the class that cannot be loaded or made, and why
     */
    public static JobRegistry load(List<String> classNames, ClassLoader classLoader) {
        List<Job<?, ?>> made = new ArrayList<>();
        for (String className : classNames) {
            made.add(make(className, classLoader));
        }
        return of(made);
    }

    private static Job<?, ?> make(String className, ClassLoader classLoader) {
        Class<?> type;
        try {
            type = Class.forName(className, false, classLoader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("job class " + className + " cannot be loaded from the class path (" + e
                    + ")");
        }
        if (!Job.class.isAssignableFrom(type)) {
            throw new IllegalStateException(className + " is not a " + Job.class.getName());
        }
        try {
            return (Job<?, ?>) type.getConstructor().newInstance();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException("job class " + className + " needs a public no-argument constructor");
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("job class " + className + " failed in its constructor: " + e.getCause());
        } catch (InstantiationException e) {
            throw new IllegalStateException("job class " + className + " cannot be made: it is abstract");
        }
    }

    /** The jobs of the class loader that loaded procpool itself. */
    public static JobRegistry loadDefault() {
        return load(JobRegistry.class.getClassLoader());
    }

    /** A registry of exactly these jobs. */
    public static JobRegistry of(Collection<? extends Job<?, ?>> jobs) {
        Map<String, Job<?, ?>> byName = new TreeMap<>();
        for (Job<?, ?> job : jobs) {
            String name = job.name();
            if (!isValidName(name)) {
                throw new IllegalStateException("job " + job.getClass().getName() + " has an invalid name '" + name
                        + "': use lower-case letters, digits and '-', starting with a letter");
            }
            Job<?, ?> previous = byName.putIfAbsent(name, job);
            if (previous != null && previous.getClass() != job.getClass()) {
                throw new IllegalStateException("two jobs are named '" + name + "': "
                        + previous.getClass().getName() + " and " + job.getClass().getName());
            }
        }
        return new JobRegistry(byName);
    }

    /**
     * Lower-case letters, digits and '-', starting with a letter. Checked by hand: a regular expression would
     * start the JVM's lambda machinery, which costs a worker several milliseconds of its start-up.
     */
    private static boolean isValidName(String name) {
        if (name == null || name.isEmpty() || name.charAt(0) < 'a' || name.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** The job of this name, if there is one. */
    public Optional<Job<?, ?>> find(String name) {
        return Optional.ofNullable(jobs.get(name));
    }

    /** The job of this name; throws {@link IllegalArgumentException} naming the known jobs if there is none. */
    public Job<?, ?> get(String name) {
        Job<?, ?> job = jobs.get(name);
        if (job == null) {
            throw new IllegalArgumentException("unknown job '" + name + "'; known jobs: " + String.join(", ", names()));
        }
        return job;
    }

    /** Whether this registry holds this very job class under its name. */
    public boolean contains(Job<?, ?> job) {
        Job<?, ?> registered = jobs.get(job.name());
        return registered != null && registered.getClass() == job.getClass();
    }

    /** The job names in order. */
    public List<String> names() {
        return List.copyOf(jobs.keySet());
    }

    /** The jobs' class names, in job-name order: {@link #load(List, ClassLoader)} makes the same jobs from them. */
    public List<String> classNames() {
        return jobs.values().stream().map(job -> job.getClass().getName()).toList();
    }

    /** The jobs in name order. */
    public Collection<Job<?, ?>> jobs() {
        return jobs.values();
    }
}
