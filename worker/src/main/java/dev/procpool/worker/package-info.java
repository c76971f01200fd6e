/** The worker process: reads tasks from the coordinator, computes them one at a time, and answers. Not an API. */
package dev.procpool.worker;
