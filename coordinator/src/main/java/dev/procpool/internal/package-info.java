/**
 * The process pool's engine. Not an API: nothing here appears in a public signature of {@code dev.procpool} or
 * {@code dev.procpool.spi}, and anything here may change in any release. The classes, each with one job, and the
 * path of a task through them are described in ARCHITECTURE.md at the root of the source tree.
 */
package dev.procpool.internal;
