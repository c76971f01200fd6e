package dev.procpool.internal;

import dev.procpool.JobNotSendableException;
import dev.procpool.protocol.JobDefinition;
import dev.procpool.protocol.RemoteError;
import dev.procpool.protocol.SharedValue;
import java.util.List;

/**
 * A job (or function) made ready to travel, under the key its tasks carry: its definition, sent once to each worker
 * before the job's first tasks there (see {@link TicketDelivery}). Immutable but for the reason, once one worker has
 * said so, that workers cannot make it (the class path is the same for every worker): later tasks then fail at once;
 * and for how long its tasks take, which the {@link WorkerBooks} keep in its {@link JobDuration}.
 */
final class JobTicket {

    private final JobDefinition definition;
    private final String description;
    private final boolean openInputs;
    private final List<SharedValue<?>> shares;
    private final JobDuration duration;
    private volatile JobNotSendableException unavailable;

    /**
     * @param definition what a worker is sent
     * @param description the job as messages name it: {@code job 'sqrt' (dev.procpool.jobs.SqrtJob)}
     * @param openInputs whether each task's classes must be registered as it is submitted (its declared type leaves
     *     them to the value)
     * @param shares the shared values the job holds, which a worker must have before its definition
     * @param duration how long the tasks of its class take: shared by every value of the class, so that tasks of
     *     many values (a function capturing each input) are timed together
     */
    JobTicket(JobDefinition definition, String description, boolean openInputs, List<SharedValue<?>> shares,
            JobDuration duration) {
        this.duration = duration;
        this.definition = definition;
        this.description = description;
        this.openInputs = openInputs;
        this.shares = List.copyOf(shares);
    }

    /** The shared values the job holds. */
    List<SharedValue<?>> shares() {
        return shares;
    }

    /** A shared value the job holds that was released since (closed, and read by no task left); null if none was. */
    SharedValue<?> releasedShare() {
        for (SharedValue<?> shared : shares) {
            if (shared.isReleased()) {
                return shared;
            }
        }
        return null;
    }

    /** The job as messages name it: {@code job 'sqrt' (dev.procpool.jobs.SqrtJob)}. */
    String description() {
        return description;
    }

    /** How long its tasks take, as measured so far; guarded by the books' lock ({@link WorkerBooks#locked}). */
    JobDuration duration() {
        return duration;
    }

    long key() {
        return definition.key();
    }

    /** The job's name, as messages say it. */
    String name() {
        return definition.name();
    }

    JobDefinition definition() {
        return definition;
    }

    boolean openInputs() {
        return openInputs;
    }

    /** Why workers cannot make this job, once one has said; null until then. */
    JobNotSendableException unavailable() {
        return unavailable;
    }

    /**
     * A worker could not make this job: the failure each of its tasks fails with, kept for every later task. The
     * message names the job, the class, the worker and what to do.
     */
    JobNotSendableException unavailableOn(WorkerConnection worker, RemoteError why) {
        JobNotSendableException known = unavailable;
        if (known != null) {
            return known;
        }
        boolean missing = "java.lang.ClassNotFoundException".equals(why.className())
                || "java.lang.NoClassDefFoundError".equals(why.className());
        boolean otherVersion = "java.lang.IncompatibleClassChangeError".equals(why.className());
        String advice = missing
                ? "; the workers' class path must hold your classes: add the jar or directory that holds them with "
                        + "ProcessPoolBuilder.classpath(...) (--classpath on the command line)"
                : otherVersion
                ? "; the workers' class path must hold the same build of your classes as this JVM's: give both the same"
                        + " jars"
                : "";
        JobNotSendableException failure = new JobNotSendableException(name(), definition.className(),
                description + " cannot be made in " + worker.describe() + ": " + why.message() + advice, null);
        unavailable = failure;
        return failure;
    }
}
