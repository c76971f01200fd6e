/**
 * What runs cost, measured where they run: a task's wall, CPU and ready time ({@link dev.procpool.measure.TaskUsage},
 * taken by {@link dev.procpool.measure.ThreadClock} on the thread that ran it) and a process's resident set and
 * threads ({@link dev.procpool.measure.ProcessStatus}).
 */
package dev.procpool.measure;
