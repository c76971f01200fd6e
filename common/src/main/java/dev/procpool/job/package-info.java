/**
 * The job API: what a computation procpool runs implements ({@link dev.procpool.job.Job}), helpers for the usual
 * shapes ({@link dev.procpool.job.RangeJob}, {@link dev.procpool.job.LongSum}), and how jobs are found
 * ({@link dev.procpool.job.JobRegistry}).
 */
package dev.procpool.job;
