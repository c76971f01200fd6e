package dev.procpool.cli.options;

import dev.procpool.WorkerJar;
import dev.procpool.WorkerStartException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code --worker-jar} option, shared by the run and the bench: a picocli mixin. */
public final class WorkerJarOption {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--worker-jar", paramLabel = "PATH",
            description = "The worker jar. Default: procpool-worker.jar next to this jar, or in the build tree.")
    private Path workerJar;

    /**
     * The jar {@code --worker-jar} names, which must exist (a usage error otherwise), or without the option the one
     * found as for any pool.
     */
    public Path resolve() {
        if (workerJar == null) {
            return WorkerJar.locate();
        }
        try {
            return WorkerJar.check(workerJar, "--worker-jar");
        } catch (WorkerStartException e) {
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
    }
}
