/**
 * The wire protocol between a coordinator and its workers: frames, messages and the Kryo registration table both
 * ends share. Not an API: used by procpool's own coordinator and worker, and may change in any release (the
 * handshake refuses a peer from another build).
 */
package dev.procpool.protocol;
