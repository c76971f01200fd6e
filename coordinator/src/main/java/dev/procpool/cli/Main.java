package dev.procpool.cli;

import dev.procpool.ProcPoolException;
import dev.procpool.bench.BenchCommand;
import dev.procpool.demo.DemoCommand;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
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
        commandLine.addSubcommand("bench", new BenchCommand(out, err));
        commandLine.addSubcommand("demo", new DemoCommand(out, err));
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
        if (e instanceof UnmatchedArgumentException unmatched && unmatched.isUnknownOption()) {
            String closest = closestOption(unmatched.getUnmatched().get(0), e.getCommandLine().getCommandSpec()
                    .optionsMap().keySet());
            if (closest != null) {
                message += " (did you mean " + closest + "?)";
            }
        }
        err.println("procpool: " + message + "; see --help");
        err.flush();
        return USAGE;
    }

    /** The option name within two edits of what was typed (before any {@code =value}), if there is one. */
    static String closestOption(String typed, Collection<String> options) {
        String name = typed.contains("=") ? typed.substring(0, typed.indexOf('=')) : typed;
        String best = null;
        int bestDistance = 3;
        for (String option : options) {
            int distance = editDistance(name, option);
            if (distance < bestDistance) {
                best = option;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
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
