/**
 * What the command line's commands share: option types (whole numbers, durations, the worker jar) and the checks
 * every command makes of them, in one place. Imports no command; every command may import it.
 */
package dev.procpool.cli.options;
