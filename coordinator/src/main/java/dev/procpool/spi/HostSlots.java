package dev.procpool.spi;

/**
 * One {@code --hosts} entry: where workers run and how many. Immutable.
 *
 * @param destination what {@code ssh} takes (an alias from the user's SSH config, {@code host},
 *     {@code user@host}), or {@link #LOCAL} for workers started here without SSH
 * @param workers how many workers to run there; 0 to run one per core, as the host says
 */
public record HostSlots(String destination, int workers) {

    /** The destination that starts workers on this machine, without SSH. */
    public static final String LOCAL = "local";

    public HostSlots {
        if (destination == null || destination.isBlank()) {
            throw new IllegalArgumentException("a host needs a destination");
        }
        if (destination.startsWith("-")) {
            throw new IllegalArgumentException("a destination cannot start with '-': " + destination);
        }
        if (workers < 0) {
            throw new IllegalArgumentException("workers on " + destination + " must be 0 (one per core) or more, was "
                    + workers);
        }
    }

    /**
     * Reads {@code DEST[:N]}: {@code alias}, {@code user@host:4}, {@code local:2}. N is the last colon's number, so an
     * IPv6 address goes in brackets: {@code [::1]:2}.
     *
     * @throws IllegalArgumentException saying what is wrong, in one line
     */
    public static HostSlots parse(String text) {
        String entry = text.strip();
        if (entry.contains("://")) {
            throw new IllegalArgumentException("'" + text + "': give a destination as ssh takes it (alias, host, "
                    + "user@host), not a URL; a port goes in your SSH config or in --ssh-arg=-p --ssh-arg=PORT");
        }
        int colon = entry.lastIndexOf(':');
        if (colon < 0 || entry.endsWith("]")) {
            return new HostSlots(unbracketed(text, entry), 0);
        }
        String count = entry.substring(colon + 1);
        String destination = unbracketed(text, entry.substring(0, colon));
        try {
            int workers = Integer.parseInt(count);
            if (workers < 1) {
                throw new IllegalArgumentException("'" + text + "': the number of workers must be at least 1");
            }
            return new HostSlots(destination, workers);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': after the last ':' comes a number of workers, not '"
                    + count + "'");
        }
    }

    /** An IPv6 address without its brackets; any other colon in a destination is a mistake. */
    private static String unbracketed(String text, String destination) {
        if (destination.startsWith("[") && destination.endsWith("]")) {
            return destination.substring(1, destination.length() - 1);
        }
        if (destination.contains(":")) {
            throw new IllegalArgumentException("'" + text + "': an IPv6 address goes in brackets, as in [::1]:2");
        }
        return destination;
    }

    /** Whether its workers start on this machine, without SSH. */
    public boolean isLocal() {
        return LOCAL.equals(destination);
    }
}
