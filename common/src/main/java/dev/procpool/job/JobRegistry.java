package dev.procpool.job;

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
 * The jobs visible to one class loader, found with {@link ServiceLoader} and ordered by name: how the command line
 * finds the job {@code --job} names. A library needs no registry: a runner runs any job it is given. Immutable and
 * thread-safe once built.
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

    /** The job names in order. */
    public List<String> names() {
        return List.copyOf(jobs.keySet());
    }

    /** The jobs in name order. */
    public Collection<Job<?, ?>> jobs() {
        return jobs.values();
    }
}
