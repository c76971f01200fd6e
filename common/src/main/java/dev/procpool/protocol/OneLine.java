package dev.procpool.protocol;

/**
 * Text that goes into a one-line message: a task's {@code toString()}, an exception's message. Whatever the text
 * holds, the result is one line of at most {@link #MAX_CHARS} characters, and a {@code toString()} that throws
 * yields a note saying so instead of an exception. Stateless.
 */
public final class OneLine {

    /** The longest text kept; longer text is cut and says how long it was. */
    public static final int MAX_CHARS = 120;

    private OneLine() {
    }

    /**
     * {@code String.valueOf(value)}, made one line; an array is told by its type and length, {@code double[6553600]},
     * since its {@code toString()} says nothing.
     */
    public static String of(Object value) {
        if (value != null && value.getClass().isArray()) {
            return value.getClass().getComponentType().getSimpleName() + "[" + java.lang.reflect.Array.getLength(value)
                    + "]";
        }
        String text;
        try {
            text = String.valueOf(value);
        } catch (RuntimeException | StackOverflowError e) {
            return "(a " + value.getClass().getName() + " whose toString() threw " + e.getClass().getName() + ")";
        }
        return shorten(text);
    }

    /** {@code text} on one line: line breaks and tabs become spaces, and past {@link #MAX_CHARS} it is cut. */
    public static String shorten(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder line = new StringBuilder(Math.min(text.length(), MAX_CHARS + 32));
        for (int i = 0; i < text.length() && line.length() < MAX_CHARS; i++) {
            char c = text.charAt(i);
            line.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (text.length() > MAX_CHARS) {
            line.append("... (").append(text.length()).append(" characters)");
        }
        return line.toString();
    }
}
