/**
 * Extension points of a process pool: {@link dev.procpool.spi.WorkerLauncher} starts worker processes (here, on
 * other hosts, as a cluster's job steps) from a {@link dev.procpool.spi.WorkerCommand}, and hands each back as a
 * {@link dev.procpool.spi.LaunchedWorker}: its streams and a handle on its life.
 */
package dev.procpool.spi;
