package dev.procpool.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.protocol.SharedValue;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SharedFilesTest {

    @Test
    void write_keepsTheArraysBytesInNativeOrder() throws IOException {
        double[] array = new double[(1 << 18) + 3];
        for (int i = 0; i < array.length; i++) {
            array[i] = i * 0.5;
        }
        SharedFiles files = new SharedFiles();
        Path file = files.write(array, SharedValue.Element.DOUBLE);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            assertArrayEquals(array, mapped.toArray(ValueLayout.JAVA_DOUBLE));
        } finally {
            files.deleteAll();
        }
        assertFalse(Files.exists(file));
        assertTrue(file.getFileName().toString().startsWith("procpool-shared-"
                + TempFiles.namespaceOf(Path.of("/proc/self/ns/pid")) + "-" + ProcessHandle.current().pid() + "-"),
                "named by this JVM, for the next to delete it if this one is killed: " + file);
    }
}
