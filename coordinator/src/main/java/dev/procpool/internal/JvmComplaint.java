package dev.procpool.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a JVM that refused to start said about why, in one line: its own words ({@code Unrecognized VM option 'Foo'},
 * {@code Too small maximum heap}, {@code Could not find or load main class ...}) without the launcher's generic lines
 * around them. Stateless.
 */
final class JvmComplaint {

    /** Lines the launcher adds to every refusal: they say that, not why. */
    private static final List<String> GENERIC = List.of("Error: Could not create the Java Virtual Machine.",
            "Error: A fatal exception has occurred. Program will exit.", "Error occurred during initialization of VM");
    /** Lines that only a JVM that never got to run the worker prints. */
    private static final List<String> REFUSALS = List.of("Error: Could not create the Java Virtual Machine.",
            "Error occurred during initialization of VM", "Error: Could not find or load main class",
            "Error: Unable to access jarfile", "Unrecognized option:", "Unrecognized VM option");

    private JvmComplaint() {
    }

    /**
     * The JVM's own complaint, if {@code output} is a JVM refusing to start (before running any of the worker's
     * code); empty if it is anything else, such as a worker that started and then failed.
     */
    static Optional<String> of(List<String> output) {
        boolean refused = output.stream().anyMatch(line -> REFUSALS.stream().anyMatch(line::startsWith));
        if (!refused) {
            return Optional.empty();
        }
        List<String> specific = new ArrayList<>();
        for (String line : output) {
            String text = line.strip();
            if (!text.isEmpty() && !GENERIC.contains(text)) {
                specific.add(text.startsWith("Error: ") ? text.substring("Error: ".length()) : text);
            }
        }
        List<String> words = specific.isEmpty() ? output.stream().map(String::strip).filter(l -> !l.isEmpty()).toList()
                : specific;
        return Optional.of(String.join("; ", words));
    }
}
