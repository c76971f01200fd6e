/**
 * {@code procpool bench}: measures procpool against the machine's own limits and checks the project's performance
 * bars. Built on the public API only. Not an API itself.
 */
package dev.procpool.bench;
