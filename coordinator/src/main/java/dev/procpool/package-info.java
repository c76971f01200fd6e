/**
 * procpool's API: runners that compute a job's tasks in worker processes ({@link dev.procpool.ProcessPool}), on
 * threads ({@link dev.procpool.ThreadRunner}) or on the calling thread ({@link dev.procpool.SequentialRunner}), all
 * through one interface, {@link dev.procpool.Runner}, and the exceptions they fail with, all under
 * {@link dev.procpool.ProcPoolException}. Jobs themselves are written against {@code dev.procpool.job}; how workers
 * are started is the {@code dev.procpool.spi} package's.
 */
package dev.procpool;
