package dev.procpool.spi;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks, with one job step on every node of a Slurm allocation, that each node can run workers: that the
 * {@code java} they run is Java {@value SshHost#JAVA_RELEASE} or later there, and that every class path entry they run
 * from is there. Each node prints what it found on lines that start with its Slurm name; {@link #problems} reads them.
 * Stateless.
 */
final class SlurmNodeCheck {

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Prints {@code NODE java FIRST-LINE-OF-JAVA-VERSION}, then {@code NODE missing PATH} for each path given after the
     * java that cannot be read there, then {@code NODE checked}. Always exits 0: the lines say what is wrong.
     */
    private static final String CHECK = "node=${SLURMD_NODENAME:-$(hostname)}; java=$1; shift; "
            + "version=$(\"$java\" -version 2>&1 | head -n 1); echo \"$node java $version\"; "
            + "for f; do [ -r \"$f\" ] || echo \"$node missing $f\"; done; echo \"$node checked\"";

    private SlurmNodeCheck() {
    }

    /**
     * Checks every node of {@code allocation} for {@code java} and {@code classpath} (paths as the nodes see them).
     *
     * @param fix what to do about an entry missing on a node (such as copying the class path to node-local disks)
     * @throws IOException naming, in one line, each node that cannot run workers, what is wrong there and what to do
     */
    static void check(SlurmAllocation allocation, String java, List<String> classpath, String fix)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", CHECK, "sh", java));
        command.addAll(classpath);
        ShortCommand.Result result = allocation.runOnEveryNode(command, STEP_TIMEOUT);
        Map<String, List<String>> problems = problems(result.stdout(), java);
        int answered = (int) result.stdout().lines().filter(line -> line.endsWith(" checked")).count();
        if (result.status() != 0 || answered < allocation.nodes()) {
            throw new IOException("cannot check the nodes of Slurm job " + allocation.jobId() + ": " + answered
                    + " of its " + allocation.nodes() + " node(s) answered (" + result.complaint() + ")");
        }
        if (!problems.isEmpty()) {
            throw new IOException(describe(allocation.jobId(), problems, java, fix));
        }
    }

    /**
     * What is wrong on each node, by node, as the check step's {@code output} says; nodes with nothing wrong are not
     * named.
     */
    static Map<String, List<String>> problems(String output, String java) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        for (String line : output.lines().toList()) {
            String[] parts = line.split(" ", 3);
            if (parts.length < 3) {
                continue;
            }
            String node = parts[0];
            if (parts[1].equals("java")) {
                int release = SshHost.javaRelease(parts[2]);
                if (release < SshHost.JAVA_RELEASE) {
                    problems.computeIfAbsent(node, any -> new ArrayList<>()).add(release > 0
                            ? java + " there is Java " + release
                            : java + " does not run there (" + parts[2].strip() + ")");
                }
            } else if (parts[1].equals("missing")) {
                problems.computeIfAbsent(node, any -> new ArrayList<>()).add("no " + parts[2] + " there");
            }
        }
        return problems;
    }

    /** One line: which nodes cannot run workers, why, and what to do. */
    static String describe(String jobId, Map<String, List<String>> problems, String java, String fix) {
        List<String> each = new ArrayList<>();
        problems.forEach((node, wrong) -> each.add(node + ": " + String.join(", ", wrong)));
        boolean javaWrong = problems.values().stream().flatMap(List::stream).anyMatch(wrong -> wrong.startsWith(java));
        boolean fileMissing = problems.values().stream().flatMap(List::stream).anyMatch(wrong -> wrong.startsWith("no "));
        List<String> todo = new ArrayList<>();
        if (javaWrong) {
            todo.add("install Java " + SshHost.JAVA_RELEASE + " or later at " + java + " on "
                    + (problems.size() == 1 ? "that node" : "those nodes") + " (workers run the java of this "
                    + "coordinator, at the same path)");
        }
        if (fileMissing) {
            todo.add(fix);
        }
        return (problems.size() == 1 ? "node " : "nodes ") + String.join(", ", problems.keySet()) + " of Slurm job "
                + jobId + " cannot run workers (" + String.join("; ", each) + "): " + String.join(", and ", todo);
    }
}
