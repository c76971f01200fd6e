package dev.procpool.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How many columns the user's terminal has: {@code COLUMNS} if it is set (the user's word, or a shell that exports
 * it), else what the terminal itself says ({@code stty size} on {@code /dev/tty}), else 80. Stateless.
 */
final class TerminalWidth {

    static final int FALLBACK = 80;
    private static final long STTY_WAIT_MILLIS = 1_000;

    private TerminalWidth() {
    }

    /** This process's terminal's width. */
    static int detect() {
        return of(System.getenv("COLUMNS"), TerminalWidth::askTerminal);
    }

    /** {@code columns} if it is a sensible width, else what {@code terminal} says, else {@link #FALLBACK}. */
    static int of(String columns, Supplier<OptionalInt> terminal) {
        OptionalInt fromEnvironment = parse(columns);
        if (fromEnvironment.isPresent()) {
            return fromEnvironment.getAsInt();
        }
        return terminal.get().orElse(FALLBACK);
    }

    /** A width from text, if it is a whole number between 10 and 10,000. */
    static OptionalInt parse(String text) {
        if (text == null || !text.strip().matches("[0-9]{1,5}")) {
            return OptionalInt.empty();
        }
        int width = Integer.parseInt(text.strip());
        return width >= 10 && width <= 10_000 ? OptionalInt.of(width) : OptionalInt.empty();
    }

    /** The columns of the controlling terminal, from {@code stty size} ("rows columns"); empty without one. */
    private static OptionalInt askTerminal() {
        Process stty;
        try {
            stty = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return OptionalInt.empty(); // no terminal, or no stty
        }
        try {
            if (!stty.waitFor(STTY_WAIT_MILLIS, TimeUnit.MILLISECONDS) || stty.exitValue() != 0) {
                return OptionalInt.empty();
            }
            String[] size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip()
                    .split("\\s+");
            return size.length == 2 ? parse(size[1]) : OptionalInt.empty();
        } catch (IOException e) {
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        } finally {
            stty.destroyForcibly();
        }
    }
}
