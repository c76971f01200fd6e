package dev.procpool.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Runs a shell command the way native code would, through the C library's {@code system()} (called through FFM): the
 * shell inherits every descriptor of this process that is not close-on-exec, unlike a child started from Java, in
 * which the JDK closes them. Stateless.
 */
final class NativeShell {

    private NativeShell() {
    }

    /** Runs {@code command} with {@code /bin/sh -c} and returns its exit status (-1 if it did not exit normally). */
    @SuppressWarnings("restricted") // worker JVMs run with native access
    static long run(String command) throws Exception {
        Linker linker = Linker.nativeLinker();
        MethodHandle system = linker.downcallHandle(linker.defaultLookup().find("system").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            int status = (int) system.invokeExact(arena.allocateFrom(command));
            return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1;
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
