package dev.procpool.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.protocol.WorkerArguments.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A worker's arguments: what the coordinator writes, the worker reads back unchanged; anything else is refused. */
class WorkerArgumentsTest {

    @ParameterizedTest
    @EnumSource(Mode.class)
    void toListThenParse_givesTheSameArguments(Mode mode) {
        WorkerArguments arguments = mode == Mode.SERVE
                ? WorkerArguments.serve(4096).behind(1024).onPrivateDescriptors()
                : new WorkerArguments(mode, Protocol.DEFAULT_MAX_FRAME_BYTES, 0, false);

        assertEquals(arguments, WorkerArguments.parse(arguments.toList().toArray(String[]::new)));
    }

    @Test
    void parse_noArguments_servesWithTheDefaultFrameLimit() {
        assertEquals(WorkerArguments.serve(Protocol.DEFAULT_MAX_FRAME_BYTES), WorkerArguments.parse(new String[0]));
    }

    @Test
    void serve_withoutABatchBudget_saysNothingOfIt() {
        assertEquals(0, WorkerArguments.parse(WorkerArguments.serve(4096).toList().toArray(String[]::new))
                .batchFrameBytes());
        assertTrue(WorkerArguments.serve(4096).toList().stream().noneMatch(a -> a.startsWith("--batch")));
    }

    @Test
    void echo_onPrivateDescriptors_roundTrips() {
        WorkerArguments echo = WorkerArguments.echo().onPrivateDescriptors();

        WorkerArguments parsed = WorkerArguments.parse(echo.toList().toArray(String[]::new));

        assertEquals(WorkerArguments.Mode.ECHO, parsed.mode());
        assertTrue(parsed.privateDescriptors());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--max-frame-bytes=x", "--max-frame-bytes=0", "--bogus", "--echo --bare",
        "--train --max-frame-bytes=4096", "--bare --protocol-fds=3,4", "--jobs=a.B", "--batch-frame-bytes=8",
        "--batch-frame-bytes=-1", "--batch-frame-bytes=", "--echo --batch-frame-bytes=1024", "--no-spin"})
    void parse_refusesWhatTheCoordinatorNeverWrites(String line) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> WorkerArguments.parse(line.split(" ")));

        assertTrue(error.getMessage().lines().count() == 1, error.getMessage());
    }
}
