package dev.procpool.demo;

import java.time.Duration;

/**
 * What the demo runs: how many worker processes take the computes, how many turns each compute takes, how many
 * 1 ms waits each waiting task makes, and what a download fetches. Immutable.
 *
 * @param workers worker processes for the computes in the mixed run
 * @param turns turns of each compute's loop ({@code demo-sqrt} of this size)
 * @param waits 1 ms waits made by each waiting task, one after another
 * @param latency how long the page server waits before it answers each request
 * @param pageBytes the size of the page each download fetches
 */
record DemoSettings(int workers, long turns, int waits, Duration latency, int pageBytes) {

    /** The classic's waiting tasks wait 1,000 times. */
    static final int DEFAULT_WAITS = 1_000;
    /** The length of one wait. */
    static final Duration WAIT = Duration.ofMillis(1);
    /** In the range a page takes to come back from a distant server: a stand-in for the network. */
    static final Duration DEFAULT_LATENCY = Duration.ofMillis(200);
    /** What each download fetches. */
    static final int PAGE_BYTES = 64 * 1024;

    DemoSettings {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        if (turns < 1) {
            throw new IllegalArgumentException("turns must be at least 1, was " + turns);
        }
        if (waits < 1) {
            throw new IllegalArgumentException("waits must be at least 1, was " + waits);
        }
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative, was " + latency);
        }
        if (pageBytes < 0) {
            throw new IllegalArgumentException("pageBytes must not be negative, was " + pageBytes);
        }
    }
}
