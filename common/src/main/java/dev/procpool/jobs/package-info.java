/** The built-in jobs: CPU-bound references (sqrt, primes, mandelbrot), per-task overhead (noop) and waiting (sleep). */
package dev.procpool.jobs;
