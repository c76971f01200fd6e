package dev.procpool.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A short command's input, output, status and time limit, with real processes. */
@Timeout(30)
class ShortCommandTest {

    private static final Duration LIMIT = Duration.ofSeconds(10);

    @Test
    void run_withAnInputFile_theCommandReadsIt_andBothStreamsAndTheStatusComeBack(@TempDir Path directory)
            throws Exception {
        Path input = Files.writeString(directory.resolve("input"), "some words\n");

        ShortCommand.Result result = ShortCommand.run(List.of("/bin/sh", "-c", "cat; echo oops >&2; exit 3"), input,
                LIMIT);

        assertEquals(new ShortCommand.Result(3, "some words\n", "oops\n"), result);
        assertEquals("oops", result.complaint());
    }

    @Test
    void run_withoutInput_stdinIsEmpty() throws Exception {
        assertEquals("0\n", ShortCommand.run(List.of("/bin/sh", "-c", "wc -c | tr -d ' '"), LIMIT).stdout());
    }

    @Test
    void run_pastItsLimit_isKilled_andSaysSo() {
        ShortCommand.TimedOut error = assertThrows(ShortCommand.TimedOut.class,
                () -> ShortCommand.run(List.of("sleep", "20"), Duration.ofMillis(300)));

        assertTrue(error.getMessage().equals("sleep did not finish within 300 ms"), error.getMessage());
    }
}
