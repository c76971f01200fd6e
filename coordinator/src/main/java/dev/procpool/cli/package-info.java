/**
 * The {@code procpool} command line: parses options, runs a comparison of the modes, and prints the table, JSON
 * or chart. Built on the public API only. Not an API itself.
 */
package dev.procpool.cli;
