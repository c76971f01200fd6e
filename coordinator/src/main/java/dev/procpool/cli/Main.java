package dev.procpool.cli;

import dev.procpool.ProcPoolException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** Entry point of {@code procpool-coordinator.jar}: parses the command line and maps outcomes to exit codes. */
public final class Main {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        System.exit(run(args, out, err));
    }

    /** Runs the command with these streams and returns the exit code. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new ProcpoolCommand(out, err));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler((e, arguments) -> usageError(e, err));
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> executionError(e, err));
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** One line: what is wrong, and where to look. */
    private static int usageError(ParameterException e, PrintWriter err) {
        String message = e.getMessage().replace(System.lineSeparator(), " ").strip();
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            message += " (did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?)";
        }
        err.println("procpool: " + message + "; see --help");
        err.flush();
        return USAGE;
    }

    private static int executionError(Exception e, PrintWriter err) {
        if (e instanceof ProcPoolException) {
            err.println("procpool: " + e.getMessage());
        } else {
            err.println("procpool: internal error, please report it: " + e);
            e.printStackTrace(err);
        }
        err.flush();
        return FAILED;
    }
}
