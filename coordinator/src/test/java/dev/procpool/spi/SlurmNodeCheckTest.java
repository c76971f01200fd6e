package dev.procpool.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the nodes' answers to the check step are read, and the one line made of them. */
class SlurmNodeCheckTest {

    private static final String JAVA = "/opt/jdk/bin/java";

    @Test
    void problems_nodesThatAreFine_areNotNamed() {
        String output = """
                n1 java openjdk version "25.0.3" 2026-04-21
                n1 checked
                n2 java openjdk version "26" 2026-09-15
                n2 checked
                """;

        assertEquals(Map.of(), SlurmNodeCheck.problems(output, JAVA));
    }

    @Test
    void problems_anOldJavaOnOneNode_andAMissingEntryOnAnother_areEachNamedByNode() {
        String output = """
                n1 java openjdk version "25.0.3" 2026-04-21
                n1 missing /home/me/lib/extra.jar
                n1 checked
                n2 java openjdk version "17.0.15" 2025-04-15
                n2 checked
                """;

        assertEquals(Map.of("n1", List.of("no /home/me/lib/extra.jar there"), "n2", List.of(JAVA + " there is Java 17")),
                SlurmNodeCheck.problems(output, JAVA));
    }

    @Test
    void problems_aJavaThatDoesNotRun_quotesWhatTheNodeSaid() {
        String output = "n3 java sh: 1: /opt/jdk/bin/java: not found\nn3 checked\n";

        assertEquals(Map.of("n3", List.of(JAVA + " does not run there (sh: 1: /opt/jdk/bin/java: not found)")),
                SlurmNodeCheck.problems(output, JAVA));
    }

    @Test
    void describe_namesTheNodesAndOnlyTheFixesThatApply() {
        String missing = SlurmNodeCheck.describe("42", Map.of("n1", List.of("no /x.jar there")), JAVA, "copy it");
        String old = SlurmNodeCheck.describe("42", Map.of("n2", List.of(JAVA + " there is Java 17")), JAVA, "copy it");

        assertEquals("node n1 of Slurm job 42 cannot run workers (n1: no /x.jar there): copy it", missing);
        assertEquals("node n2 of Slurm job 42 cannot run workers (n2: " + JAVA + " there is Java 17): install Java 25 "
                + "or later at " + JAVA + " on that node (workers run the java of this coordinator, at the same path)",
                old);
    }
}
