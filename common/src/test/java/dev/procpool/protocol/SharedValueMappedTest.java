package dev.procpool.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.protocol.SharedValue.Element;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker's side of a shared array that travels as a file: mapped, or an entry saying why it cannot be. */
class SharedValueMappedTest {

    @Test
    void mapped_aFileThatHoldsTheArray_isReadThroughTheMapping(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("shared.bin");
        Files.write(file, ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(7).putLong(8).array());

        SharedValue<Object> mapped = SharedValue.mapped(1, file, Element.LONG, 2);

        assertNull(mapped.problem());
        assertEquals(8, mapped.segment().getAtIndex(ValueLayout.JAVA_LONG, 1));
        mapped.release();
    }

    @Test
    void mapped_aFileThatIsGone_saysSo_andToShareTheValueAgain(@TempDir Path directory) {
        Path gone = directory.resolve("procpool-shared-1-2-3.bin");

        String problem = SharedValue.mapped(1, gone, Element.DOUBLE, 10).problem();

        assertTrue(problem.startsWith("the shared file " + gone + " is gone"), problem);
        assertTrue(problem.contains("share the value again"), problem);
        assertFalse(problem.contains("machine"), "the worker is on the coordinator's machine: " + problem);
    }

    @Test
    void mapped_aFileShorterThanTheArray_saysHowLongItIs(@TempDir Path directory) throws Exception {
        Path file = Files.write(directory.resolve("shared.bin"), new byte[8]);

        String problem = SharedValue.mapped(1, file, Element.DOUBLE, 2).problem();

        assertEquals("the shared file " + file + " holds 8 bytes, not 16", problem);
    }
}
